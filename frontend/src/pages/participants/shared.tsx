// Labels and small views shared by the participant screens: statuses, change
// types, what a change contains in words, and who may change participants.
import type { Address, Change, ChangeStatus, ChangeType, Me, ParticipantStatus } from '../../api/types';
import { activeLanguage, fmt, t, type MessageKey } from '../../i18n';

const P_STATUS: Record<ParticipantStatus, [MessageKey, string]> = {
  active: ['participants.status.active', 'badge-active'],
  pending_review: ['participants.status.pending_review', 'badge-invited'],
  rejected: ['participants.status.rejected', 'badge-revoked'],
  dormant: ['participants.status.dormant', 'badge-neutral'],
  ended: ['participants.status.ended', 'badge-neutral'],
};

export function ParticipantStatusBadge({ status }: { status: ParticipantStatus }) {
  const [key, cls] = P_STATUS[status] ?? ['participants.status.active', 'badge-neutral'];
  return <span class={`badge ${cls}`}>{P_STATUS[status] ? t(key) : status}</span>;
}

export const PARTICIPANT_STATUSES = Object.keys(P_STATUS) as ParticipantStatus[];

export function participantStatusLabel(s: ParticipantStatus): string {
  return P_STATUS[s] ? t(P_STATUS[s][0]) : s;
}

const C_STATUS: Record<ChangeStatus, [MessageKey, string]> = {
  processed: ['changes.status.processed', 'badge-active'],
  pending_review: ['changes.status.pending_review', 'badge-invited'],
  rejected: ['changes.status.rejected', 'badge-revoked'],
  cancelled: ['changes.status.cancelled', 'badge-neutral'],
};

export function ChangeStatusBadge({ status }: { status: ChangeStatus }) {
  const entry = C_STATUS[status];
  return <span class={`badge ${entry?.[1] ?? 'badge-neutral'}`}>{entry ? t(entry[0]) : status}</span>;
}

const C_TYPE: Record<ChangeType, MessageKey> = {
  registration: 'changes.type.registration',
  salary_change: 'changes.type.salary_change',
  termination: 'changes.type.termination',
  partner_registration: 'changes.type.partner_registration',
  child_registration: 'changes.type.child_registration',
  address_change: 'changes.type.address_change',
};

export function changeTypeLabel(type: ChangeType): string {
  return C_TYPE[type] ? t(C_TYPE[type]) : type;
}

/** "80.500" → "80,5%" (nl) / "80.5%" (en): three decimals kept only where they matter. */
export function percent(value: string): string {
  return fmt.percent(value, 3).replace(/([.,]\d*?)0+%$/, '$1%').replace(/[.,]%$/, '%');
}

export function addressText(a: Partial<Address> | null | undefined): string {
  if (!a) return '';
  const line1 = `${a.street ?? ''} ${a.house_number ?? ''}`.trim();
  const line2 = `${a.postal_code ?? ''} ${a.city ?? ''}`.trim();
  return [line1, line2, a.country && a.country !== 'NL' ? a.country : ''].filter(Boolean).join(', ');
}

function personText(p: Record<string, unknown>): string {
  const name = [p.first_name, p.surname_prefix, p.surname].filter((x) => typeof x === 'string' && x).join(' ');
  const born = typeof p.birth_date === 'string' ? t('changes.born', { date: fmt.date(p.birth_date) }) : '';
  return [name, born].filter(Boolean).join(', ');
}

/** What a change says, as short lines ("Salaris: € 55.000,00"). */
export function changeDataLines(c: Pick<Change, 'type' | 'data'>): string[] {
  const d = (c.data ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  const emp = (c.type === 'registration' ? d.employment : d) as Record<string, unknown> | undefined;
  if (emp && typeof emp.salary === 'string') out.push(`${t('participants.salary')}: ${fmt.money(emp.salary).replace(' ', '\u00a0')}`);
  if (emp && typeof emp.parttime_percentage === 'string') out.push(`${t('participants.parttime')}: ${percent(emp.parttime_percentage)}`);
  if (c.type === 'address_change' && d.address) out.push(addressText(d.address as Address));
  if (c.type === 'partner_registration' && d.partner) out.push(personText(d.partner as Record<string, unknown>));
  if (c.type === 'child_registration' && d.child) out.push(personText(d.child as Record<string, unknown>));
  return out;
}

/**
 * Employers' HR and administrators (and staff) change participants; an
 * adviser's office only where the employer gave a read_write mandate for the
 * scheme (readWriteSchemes, from GET /mandates). The API decides again.
 */
export function mayChangeParticipants(me: Me, schemeId?: string, readWriteSchemes: readonly string[] = []): boolean {
  if (me.organisation.kind === 'insurer') return me.rights.includes('staff');
  if (me.organisation.kind === 'intermediary') return !!schemeId && readWriteSchemes.includes(schemeId);
  return me.rights.includes('hr') || me.rights.includes('user_management');
}

export function genderLabel(g: string): string {
  return g === 'male' ? t('participants.gender.male') : g === 'female' ? t('participants.gender.female') : t('participants.gender.unknown');
}

export function lang() {
  return activeLanguage();
}
