// Deelnemers: the participants of the caller's schemes — scheme selector,
// search, status filter, sort by each column, keyset "next page", refresh.
import { useState } from 'preact/hooks';
import { participantsApi } from '../../api/endpoints';
import type { Me, ParticipantStatus, Scheme } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { SelectField, TextField } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Link } from '../../components/Link';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { fmt, t, type MessageKey } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { Loading } from '../Simple';
import { schemeLabel, useSchemes } from '../../lib/accounts';
import { mayChangeParticipants, ParticipantStatusBadge, participantStatusLabel, PARTICIPANT_STATUSES, percent } from './shared';

type SortField = 'number' | 'name' | 'start_date' | 'salary';

const COLUMNS: { field: SortField; label: MessageKey; numeric?: boolean }[] = [
  { field: 'number', label: 'participants.number' },
  { field: 'name', label: 'participants.name' },
  { field: 'start_date', label: 'participants.start' },
  { field: 'salary', label: 'participants.salary', numeric: true },
];

/** A select of the caller's schemes ('' = all) when there is more than one. */
export function SchemeSelect({ schemes, value, onValue }: { schemes: Scheme[]; value: string; onValue: (v: string) => void }) {
  if (schemes.length < 2) return null;
  return (
    <SelectField
      name="scheme_id"
      label={t('participants.scheme')}
      value={value}
      onValue={onValue}
      options={[{ value: '', label: t('scope.all') }, ...schemes.map((s) => ({ value: s.id, label: schemeLabel(s) }))]}
    />
  );
}

/** The scheme_id filter: the chosen scheme, or none (every scheme the caller sees). */
export function schemeFilter(_schemes: Scheme[], chosen: string): string | undefined {
  return chosen || undefined;
}

export function ParticipantsPage({ me }: { me: Me }) {
  const { schemes } = useSchemes();
  const [scheme, setScheme] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [filters, setFilters] = useState({ q: '', status: '' });
  const [sort, setSort] = useState<{ field: SortField; desc: boolean }>({ field: 'name', desc: false });
  const key = JSON.stringify({ scheme, filters, sort, ready: schemes !== null });
  const list = usePaged(
    (cursor) =>
      schemes === null
        ? Promise.resolve({ items: [], next_cursor: null })
        : participantsApi.list({
            scheme_id: schemeFilter(schemes, scheme),
            q: filters.q,
            status: filters.status,
            sort: `${sort.desc ? '-' : ''}${sort.field}`,
            cursor,
            limit: 25,
          }),
    key,
  );

  const sortBy = (field: SortField) => setSort((s) => ({ field, desc: s.field === field ? !s.desc : false }));
  const schemeOf = (id: string) => schemes?.find((s) => s.id === id);

  return (
    <Page title={t('nav.participants')} wide intro={<p>{t('participants.intro')}</p>}>
      <div class="toolbar">
        <form
          role="search"
          class="search-form"
          onSubmit={(e) => {
            e.preventDefault();
            setFilters({ q: q.trim(), status });
          }}
        >
          <div class="field-row">
            {schemes && <SchemeSelect schemes={schemes} value={scheme} onValue={setScheme} />}
            <TextField name="q" type="search" label={t('participants.search')} hint={t('participants.searchHint')} value={q} onValue={setQ} autocomplete="off" />
            <div class="mobile-only">
              <SelectField
                name="sort"
                label={t('participants.sort')}
                value={`${sort.desc ? '-' : ''}${sort.field}`}
                onValue={(x) => setSort({ field: x.replace(/^-/, '') as SortField, desc: x.startsWith('-') })}
                options={COLUMNS.flatMap((c) => [
                  { value: c.field, label: `${t(c.label)} ${t('participants.ascending')}` },
                  { value: `-${c.field}`, label: `${t(c.label)} ${t('participants.descending')}` },
                ])}
              />
            </div>
            <SelectField
              name="status"
              label={t('common.status')}
              value={status}
              onValue={setStatus}
              options={[{ value: '', label: t('participants.allStatuses') }, ...PARTICIPANT_STATUSES.map((s) => ({ value: s, label: participantStatusLabel(s as ParticipantStatus) }))]}
            />
          </div>
          <div class="button-row">
            <button type="submit" class="btn btn-secondary">
              {t('common.search')}
            </button>
            <button type="button" class="btn-link" onClick={list.reload}>
              {t('common.refresh')}
            </button>
          </div>
        </form>
        {mayChangeParticipants(me) && me.organisation.kind === 'employer' && (
          <Link href="/participants/new" class="btn btn-primary">
            <Icon name="userPlus" />
            {t('nav.participantNew')}
          </Link>
        )}
      </div>
      <ErrorAlert messages={list.errors} />
      {schemes === null || (list.loading && list.items.length === 0) ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <p class="muted">{schemes.length === 0 ? t('schemes.none') : t('participants.none')}</p>
      ) : (
        <div class="table-wrap">
          <table class="data-table">
            <caption class="sr-only">{t('participants.caption')}</caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.field}
                    scope="col"
                    class={c.numeric ? 'num' : undefined}
                    aria-sort={sort.field === c.field ? (sort.desc ? 'descending' : 'ascending') : undefined}
                  >
                    <button type="button" class="sort-button" onClick={() => sortBy(c.field)}>
                      {t(c.label)}
                      <span class="sort-mark" aria-hidden="true">
                        {sort.field === c.field ? (sort.desc ? '▼' : '▲') : '↕'}
                      </span>
                      <span class="sr-only">{t('participants.sortBy')}</span>
                    </button>
                  </th>
                ))}
                <th scope="col" class="num">
                  {t('participants.parttime')}
                </th>
                <th scope="col">{t('common.status')}</th>
              </tr>
            </thead>
            <tbody aria-busy={list.loading ? 'true' : undefined}>
              {list.items.map((p) => (
                <tr key={p.id}>
                  <td data-label={t('participants.number')}>{p.participant_number}</td>
                  <th scope="row" data-label={t('participants.name')}>
                    <Link href={`/participants/${p.id}`}>{p.display_name}</Link>
                    {schemes.length > 1 && !scheme && <span class="cell-note">{schemeOf(p.scheme_id)?.number}</span>}
                  </th>
                  <td data-label={t('participants.start')}>{fmt.date(p.employment_start)}</td>
                  <td data-label={t('participants.salary')} class="num">
                    {fmt.money(p.salary)}
                  </td>
                  <td data-label={t('participants.parttime')} class="num">
                    {percent(p.parttime_percentage)}
                  </td>
                  <td data-label={t('common.status')}>
                    <ParticipantStatusBadge status={p.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager list={list} label={t('participants.pages')} />
    </Page>
  );
}
