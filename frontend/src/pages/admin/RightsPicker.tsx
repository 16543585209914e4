// The rights of a user as checkboxes, grouped and explained with the labels
// and descriptions of GET /rights in the chosen language; the combination
// rules apply as the administrator ticks (rights/rules.ts).
import { useId, useState } from 'preact/hooks';
import { activeLanguage, t, type MessageKey } from '../../i18n';
import { groupRights, rightLabel, rightViews, toggleRight, type DisabledReason, type RightView, type RightsCatalogue } from '../../rights/rules';

const GROUP_TITLE: Record<string, MessageKey> = {
  roles: 'rights.group.roles',
  products: 'rights.group.products',
  office: 'rights.group.office',
};
const GROUP_HINT: Record<string, MessageKey> = {
  roles: 'rights.group.rolesHint',
  products: 'rights.group.productsHint',
  office: 'rights.group.officeHint',
};
const REASON: Record<DisabledReason, MessageKey> = {
  never: 'rights.reason.never',
  notLicensed: 'rights.reason.notLicensed',
  notHeld: 'rights.reason.notHeld',
  bundlePartner: 'rights.reason.bundlePartner',
  requires: 'rights.reason.requires',
};

function reasonText(cat: RightsCatalogue, v: RightView): string {
  const lang = activeLanguage();
  if (v.reason === 'never') {
    const rule = cat.rules.find((r) => r.kind === 'never' && r.rights.includes(v.right.id));
    return rule?.description[lang] || t(REASON.never);
  }
  if (v.reason === 'requires') {
    const rule = cat.rules.find((r) => r.kind === 'requires_any' && r.rights[0] === v.right.id);
    return `${rule?.description[lang] ?? ''} ${t(REASON.requires)}`.trim();
  }
  return v.reason ? t(REASON[v.reason]) : '';
}

export function RightsPicker({
  catalogue,
  selected,
  current,
  onChange,
  error,
  readOnly,
}: {
  catalogue: RightsCatalogue;
  selected: string[];
  /** The rights the user has now (they may be kept even when not grantable). */
  current: string[];
  onChange: (rights: string[]) => void;
  error?: string | undefined;
  readOnly?: boolean;
}) {
  const id = useId();
  const [note, setNote] = useState('');
  const lang = activeLanguage();
  const groups = groupRights(rightViews(catalogue, selected, current));
  const names = (ids: string[]) => ids.map((r) => rightLabel(catalogue, r, lang)).join(', ');

  const toggle = (rightId: string, on: boolean) => {
    const r = toggleRight(catalogue, selected, rightId, on, current);
    const parts: string[] = [];
    if (r.added.length) parts.push(t('rights.alsoTicked', { rights: names(r.added) }));
    if (r.removed.length) parts.push(t('rights.alsoUnticked', { rights: names(r.removed) }));
    setNote(parts.join(' '));
    onChange(r.selected);
  };

  return (
    <div class="rights-picker">
      {error && (
        <p id={`${id}-err`} class="field-error group-error" data-field="rights">
          {error}
        </p>
      )}
      <p class="rights-note" role="status">
        {note}
      </p>
      {groups.map((g) => (
        <fieldset key={g.key} class="rights-group" aria-describedby={error ? `${id}-err` : undefined}>
          <legend>{t(GROUP_TITLE[g.key]!)}</legend>
          <p class="hint">{t(GROUP_HINT[g.key]!)}</p>
          <ul class="right-list">
            {g.items.map((v) => {
              const boxId = `${id}-${v.right.id}`;
              const reason = v.disabled ? reasonText(catalogue, v) : '';
              const ruleNotes = v.rules.map((r) => r.description[lang]).filter(Boolean);
              return (
                <li key={v.right.id} class={`right-option${v.disabled ? ' right-disabled' : ''}`}>
                  <input
                    type="checkbox"
                    id={boxId}
                    checked={v.checked}
                    disabled={readOnly || v.disabled}
                    aria-describedby={`${boxId}-desc`}
                    data-field={`right-${v.right.id}`}
                    onChange={(e) => toggle(v.right.id, e.currentTarget.checked)}
                  />
                  <div class="right-text">
                    <label for={boxId}>{v.right.label[lang] || v.right.label.nl}</label>
                    <div id={`${boxId}-desc`} class="right-desc">
                      <p>{v.right.description[lang] || v.right.description.nl}</p>
                      {!v.disabled && ruleNotes.map((n) => <p class="right-rule" key={n}>{n}</p>)}
                      {reason && <p class="right-reason">{reason}</p>}
                    </div>
                  </div>
                </li>
              );
            })}
          </ul>
        </fieldset>
      ))}
    </div>
  );
}
