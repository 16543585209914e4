// Which functions a user sees (menu, home tiles, "Direct regelen" shortcuts),
// derived from /me alone: the organisation kind and the rights. The API still
// checks every call; this only keeps people from links that would fail.
import type { MessageKey } from '../i18n';
import type { Me, OrganisationKind } from '../api/types';

export type IconName =
  | 'people'
  | 'userPlus'
  | 'upload'
  | 'list'
  | 'download'
  | 'scheme'
  | 'euro'
  | 'folder'
  | 'calc'
  | 'users'
  | 'key'
  | 'handshake'
  | 'audit'
  | 'building'
  | 'review'
  | 'service'
  | 'profile';

export interface NavEntry {
  id: string;
  path: string;
  label: MessageKey;
  description: MessageKey;
  icon: IconName;
  /** A tile on the home page. */
  tile: boolean;
  /** A "Direct regelen" shortcut on the home page. */
  shortcut: boolean;
  /** In the main (hamburger) menu. */
  menu: boolean;
  /** false: the screen is not built yet and shows "this function follows". */
  available: boolean;
}

interface Rule {
  /** Any one of these rights suffices; 'everyone' for every signed-in user. */
  anyOf: readonly string[] | 'everyone';
  kinds: readonly OrganisationKind[];
  /** Another way in (e.g. an adviser's office working under a mandate). */
  or?: Omit<Rule, 'or'>;
  /** Only for users without a scheme limit (the screen covers every scheme). */
  unscoped?: boolean;
}

type Entry = NavEntry & Rule;

const ALL_KINDS: readonly OrganisationKind[] = ['employer', 'intermediary', 'insurer'];
const EMPLOYER: readonly OrganisationKind[] = ['employer'];
/** Customers (employers and offices), not the insurer. */
const OWN_ORGANISATION: readonly OrganisationKind[] = ['employer', 'intermediary'];
const ADMIN = 'user_management';
/** An office's product rights that reach employers' schemes under a mandate (DESIGN.md §4.2). */
const MANDATED = { anyOf: ['inkomensverzekering', 'pensioenverzekering'], kinds: ['intermediary'] as const };

const e = (
  id: string,
  path: string,
  label: MessageKey,
  description: MessageKey,
  icon: IconName,
  rule: Rule,
  place: { tile?: boolean; shortcut?: boolean; menu?: boolean } = {},
  available = false,
): Entry => ({
  id,
  path,
  label,
  description,
  icon,
  tile: place.tile ?? false,
  shortcut: place.shortcut ?? false,
  menu: place.menu ?? true,
  available,
  ...rule,
});

/** The catalogue, in display order. Rights are the ids of DESIGN.md §4.2. */
export const NAV_ENTRIES: readonly Entry[] = [
  e('participants', '/participants', 'nav.participants', 'nav.participants.desc', 'people',
    { anyOf: [ADMIN, 'hr', 'hr_read'], kinds: EMPLOYER, or: MANDATED }, { tile: true }, true),
  e('participant-new', '/participants/new', 'nav.participantNew', 'nav.participantNew.desc', 'userPlus',
    { anyOf: [ADMIN, 'hr'], kinds: EMPLOYER }, { shortcut: true, menu: false }, true),
  e('batches', '/batches', 'nav.batches', 'nav.batches.desc', 'upload',
    { anyOf: [ADMIN, 'hr'], kinds: EMPLOYER }, { shortcut: true }, true),
  e('changes', '/changes', 'nav.changes', 'nav.changes.desc', 'list',
    { anyOf: [ADMIN, 'hr', 'hr_read'], kinds: EMPLOYER, or: MANDATED }, { tile: true }, true),
  e('exports', '/exports', 'nav.exports', 'nav.exports.desc', 'download',
    { anyOf: [ADMIN, 'hr'], kinds: EMPLOYER }, { shortcut: true }, true),
  e('schemes', '/schemes', 'nav.schemes', 'nav.schemes.desc', 'scheme',
    { anyOf: [ADMIN, 'hr', 'hr_read', 'finance'], kinds: EMPLOYER, or: MANDATED }, { tile: true }, true),
  e('documents-financial', '/documents/financial', 'nav.financialDocuments', 'nav.financialDocuments.desc', 'euro',
    { anyOf: [ADMIN, 'finance'], kinds: EMPLOYER }, { tile: true }, true),
  // An office sees the legal documents of the schemes under its mandate (the
  // mandate gives HR rights there); financial documents stay the employer's.
  e('documents-legal', '/documents/legal', 'nav.legalDocuments', 'nav.legalDocuments.desc', 'folder',
    { anyOf: [ADMIN, 'hr', 'hr_read'], kinds: EMPLOYER, or: MANDATED }, { tile: true }, true),
  e('reconciliations', '/reconciliations', 'nav.reconciliations', 'nav.reconciliations.desc', 'calc',
    { anyOf: [ADMIN, 'hr', 'hr_read', 'finance'], kinds: EMPLOYER, or: { anyOf: ['inkomensverzekering'], kinds: ['intermediary'] } },
    { tile: true }, true),
  e('users', '/users', 'nav.users', 'nav.users.desc', 'users',
    { anyOf: [ADMIN, 'staff'], kinds: ALL_KINDS }, { tile: true }, true),
  e('user-new', '/users/new', 'nav.userNew', 'nav.userNew.desc', 'userPlus',
    { anyOf: [ADMIN, 'staff'], kinds: ALL_KINDS }, { shortcut: true, menu: false }, true),
  e('mandates', '/mandates', 'nav.mandates', 'nav.mandates.desc', 'handshake',
    { anyOf: [ADMIN], kinds: EMPLOYER }, { tile: true }, true),
  e('api-tokens', '/api-tokens', 'nav.apiTokens', 'nav.apiTokens.desc', 'key',
    { anyOf: [ADMIN], kinds: OWN_ORGANISATION }, {}, true),
  e('audit', '/audit-events', 'nav.audit', 'nav.audit.desc', 'audit',
    { anyOf: [ADMIN, 'staff'], kinds: ALL_KINDS, unscoped: true }, {}, true),
  e('staff-organisations', '/staff/organisations', 'nav.staffOrganisations', 'nav.staffOrganisations.desc', 'building',
    { anyOf: ['staff'], kinds: ['insurer'] }, { tile: true }, true),
  e('staff-schemes', '/staff/schemes', 'nav.schemes', 'nav.schemes.desc', 'scheme',
    { anyOf: ['staff'], kinds: ['insurer'] }, { menu: false }, true),
  e('staff-documents', '/staff/documents', 'nav.staffDocuments', 'nav.staffDocuments.desc', 'upload',
    { anyOf: ['staff'], kinds: ['insurer'] }, {}, true),
  e('staff-reviews', '/staff/reviews', 'nav.staffReviews', 'nav.staffReviews.desc', 'review',
    { anyOf: ['staff'], kinds: ['insurer'] }, { tile: true }, true),
  e('staff-reconciliations', '/staff/reconciliations', 'nav.staffReconciliations', 'nav.staffReconciliations.desc', 'calc',
    { anyOf: ['staff'], kinds: ['insurer'] }, { tile: true }, true),
  e('organisation', '/organisation', 'nav.organisation', 'nav.organisation.desc', 'building',
    { anyOf: 'everyone', kinds: ALL_KINDS }, { tile: true }, true),
  e('profile', '/profile', 'nav.profile', 'nav.profile.desc', 'profile',
    { anyOf: 'everyone', kinds: ALL_KINDS }, {}, true),
  e('service', '/service', 'nav.service', 'nav.service.desc', 'service',
    { anyOf: 'everyone', kinds: ALL_KINDS }, { tile: true }, true),
];

export type NavSubject = Pick<Me, 'rights'> &
  Partial<Pick<Me, 'scheme_ids'>> & { organisation: Pick<Me['organisation'], 'kind'> };

function allowed(entry: Rule, who: NavSubject): boolean {
  if (entry.unscoped && who.scheme_ids) return false;
  if (entry.or && allowed(entry.or, who)) return true;
  if (!entry.kinds.includes(who.organisation.kind)) return false;
  if (entry.anyOf === 'everyone') return true;
  return entry.anyOf.some((r) => who.rights.includes(r));
}

function strip(entry: Entry): NavEntry {
  const { anyOf: _a, kinds: _k, or: _o, unscoped: _u, ...rest } = entry;
  return rest;
}

export interface Navigation {
  menu: NavEntry[];
  tiles: NavEntry[];
  shortcuts: NavEntry[];
}

/** The menu, tiles and shortcuts this user may see. Pure: depends on /me only. */
export function navigationFor(who: NavSubject): Navigation {
  const visible = NAV_ENTRIES.filter((x) => allowed(x, who)).map(strip);
  return {
    menu: visible.filter((x) => x.menu),
    tiles: visible.filter((x) => x.tile),
    shortcuts: visible.filter((x) => x.shortcut),
  };
}

/** The catalogue entry a path belongs to, whether or not this user may see it. */
export function entryForPath(path: string): NavEntry | null {
  const found = NAV_ENTRIES.find((x) => x.path === path);
  return found ? strip(found) : null;
}

/**
 * Whether the user may open a path: the rights of its catalogue entry, or of
 * the nearest entry above it ("/users/123" follows "/users"). Paths outside
 * the catalogue are open to everyone signed in.
 */
export function mayOpen(path: string, who: NavSubject): boolean {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  let best: Entry | undefined;
  for (const x of NAV_ENTRIES) {
    if ((clean === x.path || clean.startsWith(`${x.path}/`)) && (!best || x.path.length > best.path.length)) best = x;
  }
  return best ? allowed(best, who) : true;
}
