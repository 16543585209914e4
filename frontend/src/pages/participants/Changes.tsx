// Ingediende wijzigingen: the latest change per participant, newest first by
// effective date (GET /changes), with the status and, for a rejected change,
// the insurer's reason.
import { useState } from 'preact/hooks';
import { changesApi } from '../../api/endpoints';
import { ErrorAlert } from '../../components/Alert';
import { Link } from '../../components/Link';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { fmt, t } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { Loading } from '../Simple';
import { useSchemes } from '../../lib/accounts';
import { ChangeNotes } from './Participant';
import { SchemeSelect, schemeFilter } from './Participants';
import { ChangeStatusBadge, changeDataLines, changeTypeLabel } from './shared';

export function ChangesPage() {
  const { schemes } = useSchemes();
  const [scheme, setScheme] = useState('');
  const list = usePaged(
    (cursor) => (schemes === null ? Promise.resolve({ items: [], next_cursor: null }) : changesApi.submitted({ scheme_id: schemeFilter(schemes, scheme), cursor, limit: 25 })),
    JSON.stringify({ scheme, ready: schemes !== null }),
  );
  return (
    <Page title={t('nav.changes')} wide intro={<p>{t('changes.intro')}</p>}>
      <div class="toolbar">
        <div class="search-form">
          {schemes && <SchemeSelect schemes={schemes} value={scheme} onValue={setScheme} />}
          <div class="button-row">
            <button type="button" class="btn btn-secondary" onClick={list.reload}>
              {t('common.refresh')}
            </button>
          </div>
        </div>
      </div>
      <ErrorAlert messages={list.errors} />
      {schemes === null || (list.loading && list.items.length === 0) ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p class="muted">{t('changes.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="data-table">
            <caption class="sr-only">{t('nav.changes')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('participants.name')}</th>
                <th scope="col">{t('changes.type')}</th>
                <th scope="col">{t('change.effectiveDate')}</th>
                <th scope="col">{t('changes.registered')}</th>
                <th scope="col">{t('common.status')}</th>
              </tr>
            </thead>
            <tbody aria-busy={list.loading ? 'true' : undefined}>
              {list.items.map((c) => (
                <tr key={c.id}>
                  <th scope="row" data-label={t('participants.name')}>
                    <Link href={`/participants/${c.participant_id}`}>{c.display_name ?? c.participant?.display_name ?? c.participant_id}</Link>
                    <span class="cell-note">{c.participant_number ?? c.participant?.participant_number}</span>
                  </th>
                  <td data-label={t('changes.type')}>
                    {changeTypeLabel(c.type)}
                    {changeDataLines(c).map((l) => (
                      <span class="cell-note" key={l}>
                        {l}
                      </span>
                    ))}
                  </td>
                  <td data-label={t('change.effectiveDate')}>{fmt.date(c.effective_date)}</td>
                  <td data-label={t('changes.registered')}>
                    {fmt.dateTime(c.registered_at)}
                    {c.registered_by?.name && <span class="cell-note">{c.registered_by.name}</span>}
                  </td>
                  <td data-label={t('common.status')}>
                    <ChangeStatusBadge status={c.status} />
                    <ChangeNotes change={c} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager list={list} label={t('changes.pages')} />
    </Page>
  );
}
