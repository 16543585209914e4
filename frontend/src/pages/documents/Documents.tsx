// Financiële en juridische documenten (seed 001 §5): a tab per kind with the
// count of unread documents, newest first, each marked new until the signed-in
// user opens it, with who in the organisation opened it first; download saves
// the file under the name the API gives.
import { useEffect, useState } from 'preact/hooks';
import { download } from '../../api/client';
import { documentsApi } from '../../api/endpoints';
import type { DocumentCategory, DocumentKind, Me, PortalDocument } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { problemToFormErrors } from '../../forms/errors';
import { fmt, t } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { schemeLabel, useSchemes } from '../../lib/accounts';

/** The kinds shown as tabs per category (the reconciliation specification
 * appears once the portal makes them). */
export const KINDS: Record<DocumentCategory, DocumentKind[]> = {
  financial: ['invoice', 'booking_overview', 'reminder', 'reconciliation_specification'],
  legal: ['pension_rules', 'execution_agreement', 'addendum'],
};

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Unread counts per tab ('' is every kind), refreshed after a download. */
function useUnread(category: DocumentCategory, tick: number): Record<string, number> {
  const [counts, setCounts] = useState<Record<string, number>>({});
  useEffect(() => {
    let live = true;
    const tabs: (DocumentKind | '')[] = ['', ...KINDS[category]];
    void Promise.all(
      tabs.map((k) =>
        documentsApi
          .count({ category, unread: 'true', ...(k ? { kind: k } : {}) })
          .then((n) => [k, n] as const)
          .catch(() => [k, 0] as const),
      ),
    ).then((pairs) => {
      if (live) setCounts(Object.fromEntries(pairs));
    });
    return () => {
      live = false;
    };
  }, [category, tick]);
  return counts;
}

/** An office acting under mandates sees several employers' documents. */
const forOthers = (me: Pick<Me, 'organisation'> | undefined) => me?.organisation.kind === 'intermediary';

export function DocumentsPage({ category, me }: { category: DocumentCategory; me?: Pick<Me, 'organisation'> }) {
  const [kind, setKind] = useState<DocumentKind | ''>('');
  const [tick, setTick] = useState(0);
  const [downloadErrors, setDownloadErrors] = useState<string[]>([]);
  const { schemes } = useSchemes();
  const unread = useUnread(category, tick);
  const list = usePaged(
    (cursor) => documentsApi.list({ category, ...(kind ? { kind } : {}), cursor, limit: 25 }),
    `documents-${category}-${kind}`,
  );
  const title = category === 'financial' ? t('nav.financialDocuments') : t('nav.legalDocuments');
  const tabs: (DocumentKind | '')[] = ['', ...KINDS[category]];

  const open = async (d: PortalDocument) => {
    setDownloadErrors([]);
    try {
      const { blob, filename } = await download(`/documents/${encodeURIComponent(d.id)}/file`);
      saveBlob(blob, filename ?? d.file_name);
      list.reload();
      setTick((n) => n + 1);
    } catch (e) {
      setDownloadErrors(problemToFormErrors(e).general);
    }
  };

  const schemeOf = (d: PortalDocument) => {
    if (!d.scheme_id) return t('documents.wholeOrganisation');
    const s = schemes?.find((x) => x.id === d.scheme_id);
    if (!s) return '';
    return forOthers(me) && s.organisation ? `${s.organisation.name} – ${schemeLabel(s)}` : schemeLabel(s);
  };
  const intro =
    category === 'financial' ? 'documents.intro.financial' : forOthers(me) ? 'documents.intro.mandated' : 'documents.intro.legal';

  return (
    <Page title={title} wide intro={<p>{t(intro)}</p>}>
      <div class="doc-tabs" role="group" aria-label={t('documents.tabs')}>
        {tabs.map((k) => (
          <button
            key={k || 'all'}
            type="button"
            class={`doc-tab${kind === k ? ' doc-tab-current' : ''}`}
            aria-pressed={kind === k ? 'true' : 'false'}
            onClick={() => setKind(k)}
          >
            {k ? t(`documents.kind.${k}`) : t('documents.all')}
            {(unread[k] ?? 0) > 0 && (
              <span class="badge badge-invited doc-unread">{t('documents.unreadCount', { n: unread[k]! })}</span>
            )}
          </button>
        ))}
      </div>
      <section class="card">
        <ErrorAlert messages={[...list.errors, ...downloadErrors]} />
        <DataTable
          caption={t('documents.caption')}
          columns={[t('documents.title'), t('documents.date'), t('documents.scheme'), t('documents.file'), t('documents.state')]}
          loading={list.loading}
          count={list.items.length}
          empty={t('documents.none')}
        >
          {list.items.map((d) => (
            <tr key={d.id} class={d.read_at ? undefined : 'doc-unread-row'}>
              <th scope="row" data-label={t('documents.title')}>
                {d.title}
                {!d.read_at && <span class="badge badge-invited doc-new">{t('documents.new')}</span>}
                <span class="cell-note">{t(`documents.kind.${d.kind}`)}</span>
                {d.amount && (
                  <span class="cell-note">
                    {fmt.money(d.amount)}
                    {d.due_date && ` – ${t('documents.due', { date: fmt.date(d.due_date) })}`}
                  </span>
                )}
              </th>
              <td data-label={t('documents.date')}>{fmt.date(d.document_date)}</td>
              <td data-label={t('documents.scheme')}>{schemeOf(d)}</td>
              <td data-label={t('documents.file')}>
                <span class="cell-actions">
                  <button type="button" class="btn btn-secondary btn-small" onClick={() => void open(d)}>
                    {t('documents.download')}
                    <span class="sr-only"> – {d.title}</span>
                  </button>
                  <span class="cell-note">{size(d.size)}</span>
                </span>
              </td>
              <td data-label={t('documents.state')}>
                {d.read_at && <span class="cell-note">{t('documents.readAt', { date: fmt.dateTime(d.read_at) })}</span>}
                {d.first_read && (
                  <span class="cell-note">
                    {t('documents.firstRead', { name: d.first_read.by, date: fmt.dateTime(d.first_read.at) })}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
        <Pager list={list} label={t('documents.pages')} />
      </section>
    </Page>
  );
}
