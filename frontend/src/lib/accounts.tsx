// Users, rights and schemes as several areas show them (administration,
// participants, staff, schemes): loading the rights catalogue and an
// organisation's schemes, names, status badges, dates and scheme labels.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { allPages, rightsApi, schemesApi } from '../api/endpoints';
import type { Me, Scheme, User } from '../api/types';
import { amsterdamDate } from '../format/dates';
import { activeLanguage, fmt, t, type MessageKey } from '../i18n';
import { rightLabel, type RightsCatalogue } from '../rights/rules';

export function isStaff(me: Me): boolean {
  return me.rights.includes('staff');
}

export function fullName(p: { first_name: string; last_name: string }): string {
  return `${p.first_name} ${p.last_name}`.trim();
}

export function useCatalogue(organisationId?: string): { catalogue: RightsCatalogue | null; errors: string[] } {
  const [catalogue, setCatalogue] = useState<RightsCatalogue | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    let live = true;
    rightsApi
      .catalogue(organisationId)
      .then((c) => live && setCatalogue(c))
      .catch((e) => live && setErrors([e instanceof ApiError ? e.message : t('error.unexpected')]));
    return () => {
      live = false;
    };
  }, [organisationId]);
  return { catalogue, errors };
}

/** The schemes the caller sees (of one organisation for staff); [] when the API has none. */
export function useSchemes(organisationId?: string, enabled = true): { schemes: Scheme[] | null } {
  const [schemes, setSchemes] = useState<Scheme[] | null>(null);
  useEffect(() => {
    if (!enabled) {
      setSchemes([]);
      return;
    }
    let live = true;
    setSchemes(null);
    allPages((cursor) => schemesApi.list({ organisation_id: organisationId, cursor, limit: 200 }))
      .then((s) => live && setSchemes(s))
      .catch(() => live && setSchemes([]));
    return () => {
      live = false;
    };
  }, [organisationId, enabled]);
  return { schemes };
}

export function rightsText(cat: RightsCatalogue | null, ids: readonly string[]): string {
  if (ids.length === 0) return t('users.noRights');
  return ids.map((id) => rightLabel(cat, id, activeLanguage())).join(', ');
}

export type UserState = User['status'] | 'expired';

export function userState(u: Pick<User, 'status' | 'expires_at'>, now = Date.now()): UserState {
  if (u.expires_at && Date.parse(u.expires_at) <= now) return 'expired';
  return u.status;
}

const STATE_LABEL: Record<UserState, MessageKey> = {
  active: 'users.status.active',
  invited: 'users.status.invited',
  locked: 'users.status.locked',
  expired: 'users.status.expired',
};

export function StatusBadge({ state }: { state: UserState | 'revoked' }) {
  const key: MessageKey = state === 'revoked' ? 'tokens.status.revoked' : STATE_LABEL[state];
  return <span class={`badge badge-${state}`}>{t(key)}</span>;
}

/** "31-12-2026" for an instant (its Amsterdam calendar date). */
export function dayOf(instant: string | null): string {
  if (!instant) return '';
  const d = amsterdamDate(instant);
  return d ? fmt.date(d) : instant;
}

export function schemeLabel(s: Pick<Scheme, 'name' | 'number'>): string {
  return `${s.name} (${s.number})`;
}

export function schemeNames(schemes: readonly Scheme[] | null, ids: readonly string[] | null): string {
  if (ids === null) return t('scope.all');
  if (!schemes) return ids.join(', ');
  return ids.map((id) => schemes.find((s) => s.id === id)?.name ?? t('scope.unknownScheme')).join(', ');
}
