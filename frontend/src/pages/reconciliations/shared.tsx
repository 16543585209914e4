// Small pieces the reconciliation screens share: the status badge, the
// employment text, the date/amount helpers for form values, and the
// number of a page of employees the wizard loads at once.
import type { Employment, ReconciliationEmployee, ReconciliationStatus } from '../../api/types';
import { fmt, t, type MessageKey } from '../../i18n';

export const STATUS_LABEL: Record<ReconciliationStatus, MessageKey> = {
  open: 'recon.status.open',
  submitted: 'recon.status.submitted',
  processed: 'recon.status.processed',
};

const STATUS_BADGE: Record<ReconciliationStatus, string> = {
  open: 'badge-invited',
  submitted: 'badge-neutral',
  processed: 'badge-active',
};

export function ReconStatusBadge({ status }: { status: ReconciliationStatus }) {
  return (
    <span class={`badge ${STATUS_BADGE[status]}`} data-status={status}>
      {t(STATUS_LABEL[status])}
    </span>
  );
}

/** "01-05-2019 – heden" with "(bepaalde tijd)" for a fixed-term contract. */
export function employmentText(e: Employment): string {
  const until = e.end_date ? fmt.date(e.end_date) : t('recon.employment.current');
  return `${fmt.date(e.start_date)} – ${until}${e.fixed_term ? ` (${t('recon.employment.fixedTerm')})` : ''}`;
}

export function employeeName(e: Pick<ReconciliationEmployee, 'display_name'>): string {
  return e.display_name;
}

/** An ISO date as the form shows it ('' for none). */
export function dateValue(iso: string | null | undefined): string {
  return iso ? fmt.date(iso) : '';
}

/** The ids used for anchors of rows the check step links to. */
export const employeeAnchor = (id: string) => `employee-${id}`;
export const sickAnchor = (id: string) => `sick-${id}`;
