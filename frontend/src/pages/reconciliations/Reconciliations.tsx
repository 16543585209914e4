// Naverrekening: the reconciliations the employer (or an office under a
// mandate) has to hand in or has handed in, earliest deadline first.
import { reconciliationsApi } from '../../api/endpoints';
import { ErrorAlert } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { Link } from '../../components/Link';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { fmt, t } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { ReconStatusBadge } from './shared';

export function ReconciliationsPage() {
  const list = usePaged((cursor) => reconciliationsApi.list({ cursor, limit: 25 }), 'reconciliations');
  return (
    <Page title={t('nav.reconciliations')} wide intro={<p>{t('recon.list.intro')}</p>}>
      <section class="card">
        <ErrorAlert messages={list.errors} />
        <DataTable
          caption={t('nav.reconciliations')}
          columns={[t('recon.year'), t('recon.scheme'), t('recon.deadline'), t('common.status')]}
          loading={list.loading}
          count={list.items.length}
          empty={t('recon.list.none')}
        >
          {list.items.map((r) => (
            <tr key={r.id}>
              <th scope="row" data-label={t('recon.year')}>
                <Link href={`/reconciliations/${r.id}`}>{t('recon.list.open', { year: r.year })}</Link>
              </th>
              <td data-label={t('recon.scheme')}>
                {r.scheme_name} ({r.scheme_number})
              </td>
              <td data-label={t('recon.deadline')}>{fmt.date(r.deadline)}</td>
              <td data-label={t('common.status')}>
                <ReconStatusBadge status={r.status} />
              </td>
            </tr>
          ))}
        </DataTable>
        <Pager list={list} label={t('recon.list.pages')} />
      </section>
    </Page>
  );
}
