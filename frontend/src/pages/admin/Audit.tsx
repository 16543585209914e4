// Logboek: who did what, when and from where (GET /audit-events), newest
// first, filtered by period and subject, a page at a time.
import { useEffect, useRef, useState } from 'preact/hooks';
import { auditApi, usersApi, type AuditFilters } from '../../api/endpoints';
import type { AuditEvent, Me } from '../../api/types';
import { ErrorAlert } from '../../components/Alert';
import { DataTable } from '../../components/DataTable';
import { SelectField, TextField } from '../../components/Field';
import { Page } from '../../components/Page';
import { Pager } from '../../components/Pager';
import { parseDateInput } from '../../format/dates';
import { useForm } from '../../forms/useForm';
import { fmt, hasMessage, t, type MessageKey } from '../../i18n';
import { usePaged } from '../../lib/usePaged';
import { fullName } from '../../lib/accounts';

type Names = ReadonlyMap<string, string | null>;

/** Names of the users an event page mentions (for callers who manage users). */
function useUserNames(events: AuditEvent[], enabled: boolean): Names {
  const cache = useRef(new Map<string, string | null>());
  const [, setVersion] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const ids = new Set<string>();
    for (const e of events) {
      if (e.actor.user_id) ids.add(e.actor.user_id);
      if (e.target_type === 'user' && e.target_id) ids.add(e.target_id);
    }
    const wanted = [...ids].filter((id) => !cache.current.has(id));
    if (!wanted.length) return;
    for (const id of wanted) cache.current.set(id, null);
    void Promise.allSettled(
      wanted.map((id) => usersApi.get(id).then((r) => cache.current.set(id, fullName(r.data)))),
    ).then(() => setVersion((n) => n + 1));
  }, [events, enabled]);
  return cache.current;
}

const ACTOR_KIND: Record<string, MessageKey> = {
  staff: 'audit.actor.staff',
  api_token: 'audit.apiToken',
  anonymous: 'audit.actor.anonymous',
  cli: 'audit.actor.cli',
  user: 'audit.actor.user',
};

function actorText(e: AuditEvent, names: Names): string {
  const name = e.actor.user_id ? names.get(e.actor.user_id) : null;
  if (name) return name;
  const key = ACTOR_KIND[e.actor.label ?? ''];
  return key ? t(key) : e.actor.label ?? '–';
}

const TARGET_TYPES = ['user', 'organisation', 'scheme', 'mandate', 'api_token', 'session', 'participant', 'change', 'export', 'review'] as const;

export function actionLabel(action: string): string {
  const key = `audit.action.${action}`;
  return hasMessage(key) ? t(key as MessageKey) : action;
}

function targetLabel(type: string | null): string {
  if (!type) return '';
  const key = `audit.target.${type}`;
  return hasMessage(key) ? t(key as MessageKey) : type;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** {"field": {"from", "to"}} or plain values → readable lines. */
export function changeLines(changes: Record<string, unknown> | null): string[] {
  if (!changes || typeof changes !== 'object') return [];
  return Object.entries(changes).map(([field, v]) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && ('from' in v || 'to' in v)) {
      const c = v as { from?: unknown; to?: unknown };
      return `${field}: ${show(c.from)} → ${show(c.to)}`;
    }
    return `${field}: ${show(v)}`;
  });
}

function EventRow({ e, names }: { e: AuditEvent; names: Names }) {
  const lines = changeLines(e.changes);
  const targetName = e.target_type === 'user' && e.target_id ? names.get(e.target_id) : null;
  return (
    <tr>
      <td data-label={t('audit.when')}>{fmt.dateTime(e.occurred_at)}</td>
      <td data-label={t('audit.who')}>{actorText(e, names)}</td>
      <th scope="row" data-label={t('audit.what')}>
        {actionLabel(e.action)}
        {lines.length > 0 && (
          <details class="changes">
            <summary>{t('audit.changes', { n: lines.length })}</summary>
            <ul>
              {lines.map((l, i) => (
                <li key={i}>{l}</li>
              ))}
            </ul>
          </details>
        )}
      </th>
      <td data-label={t('audit.subject')}>
        {targetLabel(e.target_type)}
        {targetName ? <span class="cell-note">{targetName}</span> : e.target_id && <span class="cell-note mono">{e.target_id.slice(0, 8)}</span>}
      </td>
      <td data-label={t('audit.from')}>{e.client_address ?? '–'}</td>
    </tr>
  );
}

export function AuditPage({ me }: { me: Me }) {
  const params = new URLSearchParams(typeof location !== 'undefined' ? location.search : '');
  const organisationId = me.rights.includes('staff') ? params.get('organisation_id') ?? undefined : undefined;
  const f = useForm({ from: '', to: '', target_type: '' });
  const [filters, setFilters] = useState<AuditFilters>({ organisation_id: organisationId, target_id: params.get('target_id') ?? undefined });
  const list = usePaged((cursor) => auditApi.list({ ...filters, cursor, limit: 50 }), JSON.stringify(filters));
  const names = useUserNames(list.items, me.rights.includes('user_management') || me.rights.includes('staff'));
  /** An empty date is no limit (''); null is a date that cannot be read. */
  const day = (x: string) => (x.trim() ? parseDateInput(x) : '');

  const apply = f.submit(
    (v) => {
      const from = day(v.from);
      const to = day(v.to);
      return [
        ['from', from === null, t('validation.date')],
        ['to', to === null, t('validation.date')],
        ['to', !!from && !!to && to < from, t('audit.toBeforeFrom')],
      ];
    },
    (v) => setFilters({ ...filters, from: day(v.from) || undefined, to: day(v.to) || undefined, target_type: v.target_type || undefined }),
  );

  return (
    <Page title={t('audit.title')} wide intro={<p>{t('audit.intro')}</p>}>
      <form ref={f.formRef} class="filters card" noValidate onSubmit={apply} aria-label={t('audit.filters')}>
        <div class="field-row">
          <TextField {...f.field('from')} label={t('audit.fromDate')} hint={t('date.hint')} inputMode="numeric" autocomplete="off" class="input-short" />
          <TextField {...f.field('to')} label={t('audit.toDate')} hint={t('date.hint')} inputMode="numeric" autocomplete="off" class="input-short" />
          <SelectField
            name="target_type"
            label={t('audit.subject')}
            value={f.values.target_type}
            onValue={f.set('target_type')}
            options={[{ value: '', label: t('audit.allSubjects') }, ...TARGET_TYPES.map((x) => ({ value: x, label: targetLabel(x) }))]}
          />
        </div>
        <div class="button-row">
          <button type="submit" class="btn btn-secondary">
            {t('audit.apply')}
          </button>
        </div>
      </form>
      {filters.organisation_id && <p class="hint">{t('audit.oneOrganisation')}</p>}
      <ErrorAlert messages={list.errors} />
      <DataTable
        caption={t('audit.title')}
        columns={[t('audit.when'), t('audit.who'), t('audit.what'), t('audit.subject'), t('audit.from')]}
        loading={list.loading}
        count={list.items.length}
        empty={t('audit.none')} busy={list.loading}
      >
        {list.items.map((e) => (
          <EventRow key={e.id} e={e} names={names} />
        ))}
      </DataTable>
      <Pager list={list} label={t('audit.pages')} />
    </Page>
  );
}
