// One participant: personal data, employment, coverages, partner and
// children, the history of changes, and the changes the caller's rights
// allow (salary and part-time, termination, address, partner, child). Dates
// are limited to the allowed window; dormant and ended participants get no
// change actions; a scheme locked by a batch is explained.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { changesApi, mandatesApi, participantsApi } from '../../api/endpoints';
import type { Change, Me, Participant } from '../../api/types';
import { ErrorAlert, Notice } from '../../components/Alert';
import { ConfirmDialog } from '../../components/Dialog';
import { SelectField, SubmitButton, TextAreaField, TextField } from '../../components/Field';
import { Link } from '../../components/Link';
import { Page } from '../../components/Page';
import { todayAmsterdam } from '../../format/dates';
import { CHANGE_FIELDS, changeBody, changeChecks, changeWindow, emptyChange, type ChangeKind, type ChangeValues } from '../../forms/changeForm';
import { problemToFormErrors } from '../../forms/errors';
import { useForm } from '../../forms/useForm';
import { activeLanguage, fmt, t, type MessageKey } from '../../i18n';
import { Loading } from '../Simple';
import { addressText, ChangeStatusBadge, changeDataLines, changeTypeLabel, genderLabel, mayChangeParticipants, ParticipantStatusBadge, percent } from './shared';

const ACTION_LABEL: Record<ChangeKind, MessageKey> = {
  salary_change: 'change.action.salary_change',
  termination: 'change.action.termination',
  address_change: 'change.action.address_change',
  partner_registration: 'change.action.partner_registration',
  child_registration: 'change.action.child_registration',
};

const FIELD_LABEL: Record<string, MessageKey> = {
  effective_date: 'change.effectiveDate',
  salary: 'change.salary',
  parttime_percentage: 'change.parttime',
  street: 'address.street',
  house_number: 'address.houseNumber',
  postal_code: 'address.postalCode',
  city: 'address.city',
  country: 'address.country',
  first_name: 'profile.firstName',
  surname: 'profile.lastName',
  birth_date: 'participants.birthDate',
  bsn: 'participants.bsn',
  relationship: 'change.relationship',
};

/** The problem codes that get a sentence of their own above the form. */
function explain(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  if (err.code === 'scheme_locked_by_batch') return t('change.lockedByBatch');
  if (err.code === 'participant_dormant') return t('change.dormant');
  return null;
}

function ChangeForm({ kind, participant, onDone, onCancel }: { kind: ChangeKind; participant: Participant; onDone: (c: Change) => void; onCancel: () => void }) {
  const lang = activeLanguage();
  const f = useForm<ChangeValues>(emptyChange(kind), { fields: CHANGE_FIELDS[kind] });
  const v = f.values;
  const window = changeWindow(participant.employment.start_date, todayAmsterdam());

  const field = (name: string, extra: Record<string, unknown> = {}) => {
    const short = name.includes('.') ? name.slice(name.indexOf('.') + 1) : name;
    return { ...f.field(name), label: t(FIELD_LABEL[short] ?? 'common.name'), value: v[name] ?? '', autocomplete: 'off', ...extra };
  };

  const submit = f.submit(
    (v) => changeChecks(kind, v, lang, window),
    async (v) => {
      const r = await participantsApi.change(participant.id, changeBody(kind, v, lang));
      onDone(r.data);
    },
    {
      onError: (err, fe) => {
        const why = explain(err);
        return why ? { ...fe, general: [...fe.general, why] } : fe;
      },
    },
  );

  const dateHint = `${t('date.hint')} ${t('change.window', { until: fmt.date(window.until) })}`;
  const who = kind === 'partner_registration' ? 'partner' : 'child';
  return (
    <form ref={f.formRef} class="change-form" noValidate onSubmit={submit} aria-labelledby="change-form-title">
      <h3 id="change-form-title">{t(ACTION_LABEL[kind])}</h3>
      <ErrorAlert messages={f.errors.general} />
      <TextField
        {...field('effective_date')}
        label={kind === 'termination' ? t('change.lastDay') : t('change.effectiveDate')}
        hint={dateHint}
        inputMode="numeric"
        class="input-short"
        required
      />
      {kind === 'salary_change' && (
        <div class="field-row">
          <TextField
            {...field('salary')}
            hint={t('change.salaryHint', { now: fmt.money(participant.employment.salary) })}
            inputMode="decimal"
            class="input-medium"
          />
          <TextField
            {...field('parttime_percentage')}
            hint={t('change.parttimeHint', { now: percent(participant.employment.parttime_percentage) })}
            inputMode="decimal"
            class="input-short"
          />
        </div>
      )}
      {kind === 'termination' && <p class="hint">{t('change.terminationHint', { kind: t(participant.scheme.kind === 'pension' ? 'participants.status.dormant' : 'participants.status.ended') })}</p>}
      {kind === 'address_change' && (
        <>
          <div class="field-row">
            <TextField {...field('address.street')} required />
            <TextField {...field('address.house_number')} class="input-short" required />
          </div>
          <div class="field-row">
            <TextField {...field('address.postal_code')} class="input-short" required />
            <TextField {...field('address.city')} required />
            <TextField {...field('address.country')} maxLength={2} class="input-short" required />
          </div>
        </>
      )}
      {(kind === 'partner_registration' || kind === 'child_registration') && (
        <>
          <div class="field-row">
            <TextField {...field(`${who}.first_name`)} required />
            <TextField {...field(`${who}.surname`)} required />
          </div>
          <div class="field-row">
            <TextField {...field(`${who}.birth_date`)} hint={t('date.hint')} inputMode="numeric" class="input-short" required />
            <TextField {...field(`${who}.bsn`)} hint={t('participants.bsnHint')} inputMode="numeric" class="input-medium" required />
          </div>
          {kind === 'partner_registration' && (
            <SelectField
              name="partner.relationship"
              label={t('change.relationship')}
              value={v['partner.relationship'] ?? 'married'}
              onValue={f.set('partner.relationship')}
              options={(['married', 'registered_partnership', 'cohabiting'] as const).map((r) => ({ value: r, label: t(`change.relationship.${r}`) }))}
              error={f.errors.fields['partner.relationship']}
            />
          )}
        </>
      )}
      <div class="button-row">
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('change.submit')}
        </SubmitButton>
        <button type="button" class="btn btn-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function History({ items, mayCancel, onCancelled }: { items: Change[]; mayCancel: boolean; onCancelled: () => void }) {
  const [cancelling, setCancelling] = useState<Change | null>(null);
  const f = useForm({ reason: '' }, { fields: [] });
  const cancel = () => {
    if (!cancelling) return;
    if (!f.values.reason.trim()) return f.setErrors({ fields: {}, general: [t('change.cancelReasonRequired')] });
    return f.run(async (v) => {
      await changesApi.cancel(cancelling.id, v.reason.trim());
      setCancelling(null);
      f.reset();
      onCancelled();
    });
  };
  if (items.length === 0) return <p class="muted">{t('changes.none')}</p>;
  return (
    <>
      <div class="table-wrap">
        <table class="data-table">
          <caption class="sr-only">{t('participants.history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('change.effectiveDate')}</th>
              <th scope="col">{t('changes.type')}</th>
              <th scope="col">{t('changes.registered')}</th>
              <th scope="col">{t('common.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} class={c.status === 'cancelled' ? 'row-muted' : undefined}>
                <td data-label={t('change.effectiveDate')}>{fmt.date(c.effective_date)}</td>
                <th scope="row" data-label={t('changes.type')}>
                  {changeTypeLabel(c.type)}
                  {changeDataLines(c).map((l) => (
                    <span class="cell-note" key={l}>
                      {l}
                    </span>
                  ))}
                </th>
                <td data-label={t('changes.registered')}>
                  {fmt.dateTime(c.registered_at)}
                  {c.registered_by?.name && <span class="cell-note">{c.registered_by.name}</span>}
                </td>
                <td data-label={t('common.status')}>
                  <ChangeStatusBadge status={c.status} />
                  <ChangeNotes change={c} />
                  {mayCancel && c.type !== 'registration' && (c.status === 'processed' || c.status === 'pending_review') && (
                    <button type="button" class="btn-link cell-action" onClick={() => setCancelling(c)}>
                      {t('change.cancel')}
                      <span class="sr-only">
                        {' '}
                        – {changeTypeLabel(c.type)} {fmt.date(c.effective_date)}
                      </span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={cancelling !== null}
        title={t('change.cancelTitle')}
        confirmLabel={t('change.cancel')}
        danger
        busy={f.busy}
        errors={f.errors.general}
        onConfirm={cancel}
        onCancel={() => {
          setCancelling(null);
          f.clearErrors();
        }}
      >
        <p>{cancelling ? t('change.cancelText', { type: changeTypeLabel(cancelling.type), date: fmt.date(cancelling.effective_date) }) : ''}</p>
        <TextAreaField name="cancel_reason" label={t('change.cancelReason')} value={f.values.reason} onValue={f.set('reason')} />
      </ConfirmDialog>
    </>
  );
}

/** Why a change waits, was refused or withdrawn. */
export function ChangeNotes({ change: c }: { change: Change }) {
  return (
    <>
      {c.status === 'rejected' && c.rejection_reason && <span class="cell-note change-reason">{t('changes.rejectedBecause', { reason: c.rejection_reason })}</span>}
      {c.status === 'pending_review' && c.review_reasons.map((r) => <span class="cell-note" key={r.id}>{r.message}</span>)}
      {c.status === 'cancelled' && c.cancel_reason && <span class="cell-note">{t('changes.cancelledBecause', { reason: c.cancel_reason })}</span>}
    </>
  );
}

export function ParticipantPage({ me, id }: { me: Me; id: string }) {
  const [p, setP] = useState<Participant | null>(null);
  const [history, setHistory] = useState<Change[] | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [action, setAction] = useState<ChangeKind | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [readWrite, setReadWrite] = useState<string[]>([]);
  useEffect(() => {
    // An office may change participants only where its mandate says read_write.
    if (me.organisation.kind !== 'intermediary') return;
    mandatesApi
      .list({ status: 'active', limit: 200 })
      .then((page) => setReadWrite(page.items.filter((m) => m.access === 'read_write').flatMap((m) => m.scheme_ids)))
      .catch(() => setReadWrite([]));
  }, [me.organisation.kind]);

  const load = async () => {
    try {
      const [r, h] = await Promise.all([participantsApi.get(id), participantsApi.history(id, { limit: 100 })]);
      setP(r.data);
      setHistory(h.items);
    } catch (e) {
      setErrors(problemToFormErrors(e).general);
    }
  };
  useEffect(() => {
    void load();
  }, [id]);

  if (!p) return <Page title={t('nav.participants')}>{errors.length ? <ErrorAlert messages={errors} /> : <Loading />}</Page>;
  const canChange = mayChangeParticipants(me, p.scheme_id, readWrite);
  const closed = p.status === 'dormant' || p.status === 'ended' || p.status === 'rejected';
  const kinds: ChangeKind[] = ['salary_change', 'termination', 'address_change', ...(p.scheme.kind === 'pension' ? (['partner_registration', 'child_registration'] as ChangeKind[]) : [])];
  const person = p.person;

  return (
    <Page
      title={p.display_name}
      wide
      intro={
        <>
          <p class="participant-meta">
            {t('participants.number')} {p.participant_number} · {p.scheme.name} · <ParticipantStatusBadge status={p.status} />
          </p>
          <p>
            <Link href="/participants">{t('participants.back')}</Link>
          </p>
        </>
      }
    >
      <Notice>{outcome}</Notice>
      {canChange && (
        <section class="card section-after" aria-labelledby="actions-title">
          <h2 id="actions-title">{t('change.title')}</h2>
          {closed ? (
            <p class="alert alert-info">{p.status === 'rejected' ? t('change.rejectedParticipant') : t('change.closed', { status: t(p.status === 'dormant' ? 'participants.status.dormant' : 'participants.status.ended') })}</p>
          ) : (
            <>
              <div class="action-buttons">
                {kinds.map((k) => (
                  <button
                    key={k}
                    type="button"
                    class={`btn ${action === k ? 'btn-primary' : 'btn-secondary'}`}
                    aria-expanded={action === k}
                    aria-controls="change-panel"
                    onClick={() => {
                      setOutcome(null);
                      setAction(action === k ? null : k);
                    }}
                  >
                    {t(ACTION_LABEL[k])}
                  </button>
                ))}
              </div>
              <div id="change-panel">
                {action && (
                  <ChangeForm
                    key={action}
                    kind={action}
                    participant={p}
                    onCancel={() => setAction(null)}
                    onDone={(c) => {
                      setAction(null);
                      setOutcome(
                        c.status === 'pending_review'
                          ? `${t('change.pending')} ${c.review_reasons.map((r) => r.message).join(' ')}`
                          : t('change.processed'),
                      );
                      void load();
                    }}
                  />
                )}
              </div>
            </>
          )}
        </section>
      )}
      <div class="sections">
        <section class="card" aria-labelledby="person-title">
          <h2 id="person-title">{t('participants.person')}</h2>
          <dl class="facts">
            <dt>{t('common.name')}</dt>
            <dd>{[person.first_name ?? person.initials, person.surname_prefix, person.surname].filter(Boolean).join(' ')}</dd>
            <dt>{t('participants.birthDate')}</dt>
            <dd>{fmt.date(person.birth_date)}</dd>
            <dt>{t('participants.gender')}</dt>
            <dd>{genderLabel(person.gender)}</dd>
            <dt>{t('participants.bsn')}</dt>
            <dd>{person.bsn ?? '–'}</dd>
            <dt>{t('common.email')}</dt>
            <dd>{person.email ?? '–'}</dd>
            <dt>{t('org.address')}</dt>
            <dd>{addressText(person.address) || '–'}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="employment-title">
          <h2 id="employment-title">{t('participants.employment')}</h2>
          <dl class="facts">
            <dt>{t('participants.start')}</dt>
            <dd>{fmt.date(p.employment.start_date)}</dd>
            {p.employment.end_date && (
              <>
                <dt>{t('participants.end')}</dt>
                <dd>{fmt.date(p.employment.end_date)}</dd>
              </>
            )}
            <dt>{t('participants.salary')}</dt>
            <dd>{fmt.money(p.employment.salary)}</dd>
            <dt>{t('participants.parttime')}</dt>
            <dd>{percent(p.employment.parttime_percentage)}</dd>
            <dt>{t('participants.asOf')}</dt>
            <dd>{fmt.date(p.as_of)}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="family-title">
          <h2 id="family-title">{t('participants.family')}</h2>
          <dl class="facts">
            <dt>{t('participants.partner')}</dt>
            <dd>{p.partner ? `${[p.partner.first_name, p.partner.surname].filter(Boolean).join(' ')}, ${fmt.date(p.partner.birth_date)}` : '–'}</dd>
            <dt>{t('participants.children')}</dt>
            <dd>{p.children.length ? p.children.map((c) => `${[c.first_name, c.surname].filter(Boolean).join(' ')} (${fmt.date(c.birth_date)})`).join(', ') : '–'}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="coverages-title">
          <h2 id="coverages-title">{t('schemes.coverages')}</h2>
          {p.coverages.length ? (
            <ul class="coverages">
              {p.coverages.map((c, i) => (
                <li key={i}>
                  <strong>{c.name}</strong>
                  {c.description && <p>{c.description}</p>}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('schemes.noCoverages')}</p>
          )}
        </section>
      </div>
      <section class="card section-gap" aria-labelledby="history-title">
        <h2 id="history-title">{t('participants.history')}</h2>
        {history === null ? <Loading /> : <History items={history} mayCancel={canChange} onCancelled={() => void load()} />}
      </section>
    </Page>
  );
}
