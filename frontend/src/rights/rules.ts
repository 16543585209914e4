// The rights catalogue of GET /api/v1/rights and its combination rules,
// applied while an administrator ticks boxes: bundles tick and untick
// together, a requires_any right waits for one of its products, rights that
// are never granted, outside the office's licences or not held by the
// administrator stay disabled with the reason. Pure: no I/O, no DOM. The API
// checks the same rules again on save.
import type { OrganisationKind } from '../api/types';

export interface Localised {
  nl: string;
  en: string;
}

export interface RightDef {
  id: string;
  label: Localised;
  description: Localised;
  licensable: boolean;
  /** The caller may grant it (holds it, it is licensed and not "never"). */
  grantable: boolean;
  /** Within the organisation's licences (always true outside offices). */
  licensed: boolean;
}

export type RuleKind = 'bundle' | 'requires_any' | 'never';

export interface RightRule {
  kind: RuleKind;
  rights: string[];
  requires: string[];
  description: Localised;
}

export interface RightsCatalogue {
  items: RightDef[];
  rules: RightRule[];
  organisation_kind?: OrganisationKind;
}

/** Why a box cannot be ticked. */
export type DisabledReason = 'never' | 'notLicensed' | 'notHeld' | 'bundlePartner' | 'requires';

export interface RightView {
  right: RightDef;
  checked: boolean;
  disabled: boolean;
  reason: DisabledReason | null;
  /** The rules that mention this right (for the explanation under it). */
  rules: RightRule[];
}

function isNever(cat: RightsCatalogue, id: string): boolean {
  return cat.rules.some((r) => r.kind === 'never' && r.rights.includes(id));
}

function find(cat: RightsCatalogue, id: string): RightDef | undefined {
  return cat.items.find((r) => r.id === id);
}

/** Why this right, on its own, may not be given (null: it may). */
function ownReason(cat: RightsCatalogue, id: string, current: readonly string[]): DisabledReason | null {
  const def = find(cat, id);
  if (!def || isNever(cat, id)) return 'never';
  if (!def.licensed) return 'notLicensed';
  // The API lets an administrator keep a right the user already has, even
  // one the administrator does not hold.
  if (!def.grantable && !current.includes(id)) return 'notHeld';
  return null;
}

/** Every right that goes together with id (id itself included). */
export function bundleOf(cat: RightsCatalogue, id: string): string[] {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const rule of cat.rules) {
      if (rule.kind !== 'bundle' || !rule.rights.some((r) => out.has(r))) continue;
      for (const r of rule.rights) {
        if (!out.has(r)) {
          out.add(r);
          grew = true;
        }
      }
    }
  }
  return [...out];
}

function requirementsOf(cat: RightsCatalogue, id: string): RightRule[] {
  return cat.rules.filter((r) => r.kind === 'requires_any' && r.rights[0] === id);
}

function requirementsMet(cat: RightsCatalogue, id: string, selected: readonly string[]): boolean {
  return requirementsOf(cat, id).every((r) => r.requires.some((x) => selected.includes(x)));
}

/** Why the box of id cannot be ticked now (null: it can). */
export function tickBlocker(
  cat: RightsCatalogue,
  id: string,
  selected: readonly string[],
  current: readonly string[] = [],
): DisabledReason | null {
  const own = ownReason(cat, id, current);
  if (own) return own;
  if (bundleOf(cat, id).some((r) => ownReason(cat, r, current) !== null)) return 'bundlePartner';
  if (!requirementsMet(cat, id, selected)) return 'requires';
  return null;
}

/** Catalogue order, duplicates and unknown ids dropped. */
function ordered(cat: RightsCatalogue, ids: Iterable<string>): string[] {
  const set = new Set(ids);
  return cat.items.map((r) => r.id).filter((id) => set.has(id));
}

/** Drops rights whose requirement is no longer met (and their bundles), until stable. */
function prune(cat: RightsCatalogue, selected: Set<string>): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of [...selected]) {
      if (selected.has(id) && !requirementsMet(cat, id, [...selected])) {
        for (const r of bundleOf(cat, id)) selected.delete(r);
        changed = true;
      }
    }
  }
}

export interface ToggleResult {
  selected: string[];
  /** Ticked along with the one the user ticked (bundle partners). */
  added: string[];
  /** Unticked along with the one the user unticked (bundle partners, rights that needed it). */
  removed: string[];
}

/** The selection after the user ticks (on) or unticks (off) a right. */
export function toggleRight(
  cat: RightsCatalogue,
  selected: readonly string[],
  id: string,
  on: boolean,
  current: readonly string[] = [],
): ToggleResult {
  const before = new Set(selected);
  const next = new Set(selected);
  if (on) {
    if (tickBlocker(cat, id, selected, current) !== null) return { selected: ordered(cat, selected), added: [], removed: [] };
    for (const r of bundleOf(cat, id)) next.add(r);
  } else {
    for (const r of bundleOf(cat, id)) next.delete(r);
    prune(cat, next);
  }
  const after = ordered(cat, next);
  return {
    selected: after,
    added: after.filter((r) => !before.has(r) && r !== id),
    removed: ordered(cat, before).filter((r) => !next.has(r) && r !== id),
  };
}

/** How each right shows: ticked, disabled and why, and the rules that explain it. */
export function rightViews(cat: RightsCatalogue, selected: readonly string[], current: readonly string[] = []): RightView[] {
  return cat.items.map((right) => {
    const checked = selected.includes(right.id);
    // A ticked box stays enabled so that it can be unticked.
    const reason = checked ? null : tickBlocker(cat, right.id, selected, current);
    return {
      right,
      checked,
      disabled: reason !== null,
      reason,
      rules: cat.rules.filter((r) => r.rights.includes(right.id) && r.kind !== 'never'),
    };
  });
}

export type RightsProblem =
  | { kind: 'bundle'; right: string; missing: string[] }
  | { kind: 'requires'; right: string; anyOf: string[] }
  | { kind: 'notAllowed'; right: string; reason: DisabledReason };

/** What the API would refuse in a selection (client-side check before saving). */
export function rightsProblems(cat: RightsCatalogue, selected: readonly string[], current: readonly string[] = []): RightsProblem[] {
  const out: RightsProblem[] = [];
  for (const id of ordered(cat, selected)) {
    const own = ownReason(cat, id, current);
    if (own) out.push({ kind: 'notAllowed', right: id, reason: own });
    const missing = bundleOf(cat, id).filter((r) => !selected.includes(r));
    if (missing.length) out.push({ kind: 'bundle', right: id, missing });
    for (const rule of requirementsOf(cat, id)) {
      if (!rule.requires.some((x) => selected.includes(x))) out.push({ kind: 'requires', right: id, anyOf: rule.requires });
    }
  }
  return out;
}

export interface RightsGroup {
  key: 'roles' | 'products' | 'office';
  items: RightView[];
}

/** Offices see product rights (bounded by licences) and office rights; others one list of roles. */
export function groupRights(views: RightView[]): RightsGroup[] {
  const products = views.filter((v) => v.right.licensable);
  if (products.length === 0) return [{ key: 'roles', items: views }];
  return [
    { key: 'products', items: products },
    { key: 'office', items: views.filter((v) => !v.right.licensable) },
  ].filter((g) => g.items.length > 0) as RightsGroup[];
}

/** The label of a right in a language, falling back to its id. */
export function rightLabel(cat: RightsCatalogue | null, id: string, lang: 'nl' | 'en'): string {
  const def = cat ? find(cat, id) : undefined;
  return def ? def.label[lang] || def.label.nl : id;
}
