// Loonaangifte per periode on the scheme page: the payroll periods received
// for the scheme with their counts, and on a click the feedback per
// employment (accepted, unchanged, rejected with its reason). The section
// stays hidden when the API answers 404 or 403 (no such resource yet, or
// not for this user), so the scheme page works without it.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { payrollPeriodsApi } from '../api/endpoints';
import type { PayrollFeedback, PayrollPeriod, PayrollPeriodDetail } from '../api/types';
import { ErrorAlert } from '../components/Alert';
import { DataTable } from '../components/DataTable';
import { problemToFormErrors } from '../forms/errors';
import { fmt, t, type MessageKey } from '../i18n';
import { Loading } from './Simple';

const STATUS: Record<PayrollPeriod['status'], { label: MessageKey; badge: string }> = {
  processed: { label: 'payroll.status.processed', badge: 'badge-active' },
  processing: { label: 'payroll.status.processing', badge: 'badge-neutral' },
  failed: { label: 'payroll.status.failed', badge: 'badge-failed' },
};

const RESULT: Record<PayrollFeedback['result'], MessageKey> = {
  accepted: 'payroll.result.accepted',
  unchanged: 'payroll.result.unchanged',
  rejected: 'payroll.result.rejected',
};

/** "2026-11" → "november 2026" / "November 2026". */
export function periodLabel(period: string, lang: 'nl' | 'en'): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return period;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** A change of the feedback as one line of text (the API gives objects or strings). */
export function changeText(c: unknown): string {
  if (typeof c === 'string') return c;
  if (c && typeof c === 'object') {
    const o = c as Record<string, unknown>;
    if ('field' in o) return `${String(o.field)}: ${o.old ?? '–'} → ${o.new ?? '–'}`;
    return Object.entries(o)
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
  }
  return String(c);
}

export function PayrollPeriodsSection({ schemeId, lang }: { schemeId: string; lang: 'nl' | 'en' }) {
  const [items, setItems] = useState<PayrollPeriod[] | null>(null);
  const [hidden, setHidden] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [detail, setDetail] = useState<PayrollPeriodDetail | null>(null);
  const [detailErrors, setDetailErrors] = useState<string[]>([]);

  useEffect(() => {
    let live = true;
    payrollPeriodsApi
      .list(schemeId)
      .then((r) => live && setItems(r.items))
      .catch((e) => {
        if (!live) return;
        if (e instanceof ApiError && (e.status === 404 || e.status === 403)) setHidden(true);
        else setErrors(problemToFormErrors(e).general);
      });
    return () => {
      live = false;
    };
  }, [schemeId]);

  useEffect(() => {
    setDetail(null);
    setDetailErrors([]);
    if (!open) return;
    let live = true;
    payrollPeriodsApi
      .get(schemeId, open)
      .then((d) => live && setDetail(d))
      .catch((e) => live && setDetailErrors(problemToFormErrors(e).general));
    return () => {
      live = false;
    };
  }, [schemeId, open]);

  if (hidden) return null;
  return (
    <section class="card" aria-labelledby="payroll-title" data-testid="payroll-periods">
      <h2 id="payroll-title">{t('payroll.title')}</h2>
      <p>{t('payroll.intro')}</p>
      <ErrorAlert messages={errors} />
      {errors.length === 0 && (
        <DataTable
          caption={t('payroll.title')}
          columns={[t('payroll.period'), t('common.status'), t('payroll.received'), t('payroll.employments'), t('payroll.accepted'), t('payroll.unchanged'), t('payroll.rejected')]}
          loading={items === null}
          count={items?.length ?? 0}
          empty={t('payroll.none')}
        >
          {(items ?? []).map((p) => (
            <Fragment key={p.period}>
              <tr>
                <th scope="row" data-label={t('payroll.period')}>
                  <button
                    type="button"
                    class="link-button"
                    aria-expanded={open === p.period ? 'true' : 'false'}
                    onClick={() => setOpen(open === p.period ? null : p.period)}
                  >
                    {periodLabel(p.period, lang)}
                  </button>
                </th>
                <td data-label={t('common.status')}>
                  <span class={`badge ${STATUS[p.status]?.badge ?? 'badge-neutral'}`}>{STATUS[p.status] ? t(STATUS[p.status].label) : p.status}</span>
                </td>
                <td data-label={t('payroll.received')}>{fmt.dateTime(p.received_at)}</td>
                <td data-label={t('payroll.employments')}>{p.employments}</td>
                <td data-label={t('payroll.accepted')}>{p.accepted}</td>
                <td data-label={t('payroll.unchanged')}>{p.unchanged}</td>
                <td data-label={t('payroll.rejected')}>{p.rejected}</td>
              </tr>
              {open === p.period && (
                <tr class="recon-form-row">
                  <td colSpan={7}>
                    <ErrorAlert messages={detailErrors} />
                    {detail ? <Feedback detail={detail} lang={lang} /> : detailErrors.length ? null : <Loading />}
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function Feedback({ detail, lang }: { detail: PayrollPeriodDetail; lang: 'nl' | 'en' }) {
  return (
    <div class="payroll-feedback">
      <h3>{t('payroll.feedbackOf', { period: periodLabel(detail.period, lang) })}</h3>
      <DataTable
        caption={t('payroll.feedbackOf', { period: periodLabel(detail.period, lang) })}
        columns={[t('payroll.personnelNumber'), t('payroll.employmentNumber'), t('common.name'), t('payroll.result'), t('payroll.details')]}
        loading={false}
        count={detail.feedback.length}
        empty={t('payroll.noFeedback')}
      >
        {detail.feedback.map((f, i) => (
          <tr key={`${f.personnel_number}-${f.employment_number}-${i}`} data-result={f.result}>
            <td data-label={t('payroll.personnelNumber')}>{f.personnel_number}</td>
            <td data-label={t('payroll.employmentNumber')}>{f.employment_number}</td>
            <th scope="row" data-label={t('common.name')}>
              {f.name}
            </th>
            <td data-label={t('payroll.result')}>
              <span class={`badge ${f.result === 'rejected' ? 'badge-failed' : f.result === 'accepted' ? 'badge-active' : 'badge-neutral'}`}>{t(RESULT[f.result] ?? 'payroll.result.unchanged')}</span>
            </td>
            <td data-label={t('payroll.details')}>
              {f.result === 'rejected' && f.message && <span class="cell-note field-error">{f.message}</span>}
              {(f.changes ?? []).map((c, k) => (
                <span key={k} class="cell-note">
                  {changeText(c)}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
