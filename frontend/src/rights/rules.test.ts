import { describe, expect, it } from 'vitest';
import { employerCatalogue, officeCatalogue } from './fixtures';
import { bundleOf, groupRights, rightLabel, rightsProblems, rightViews, tickBlocker, toggleRight } from './rules';

const view = (cat: ReturnType<typeof officeCatalogue>, selected: string[], current: string[] = []) =>
  Object.fromEntries(rightViews(cat, selected, current).map((v) => [v.right.id, v]));

describe('bundles', () => {
  const cat = officeCatalogue();

  it('finds every right that goes together with one', () => {
    expect(bundleOf(cat, 'spaarrekeningen').sort()).toEqual(['beleggingsobjecten', 'spaarrekeningen', 'vermogen']);
    expect(bundleOf(cat, 'pensioenverzekering').sort()).toEqual(['pensioenverzekering', 'premiepensioenvorderingen']);
    expect(bundleOf(cat, 'hypothecair_krediet')).toEqual(['hypothecair_krediet']);
  });

  it('ticks the three bank rights together and says which were added', () => {
    const r = toggleRight(cat, [], 'vermogen', true);
    expect(r.selected).toEqual(['beleggingsobjecten', 'spaarrekeningen', 'vermogen']);
    expect(r.added).toEqual(['beleggingsobjecten', 'spaarrekeningen']);
    expect(r.removed).toEqual([]);
  });

  it('unticks the whole bundle when one of it is unticked', () => {
    const r = toggleRight(cat, ['beleggingsobjecten', 'spaarrekeningen', 'vermogen', 'hypothecair_krediet'], 'spaarrekeningen', false);
    expect(r.selected).toEqual(['hypothecair_krediet']);
    expect(r.removed).toEqual(['beleggingsobjecten', 'vermogen']);
  });

  it('keeps premiepensioenvorderingen with pensioenverzekering', () => {
    expect(toggleRight(cat, [], 'premiepensioenvorderingen', true).selected).toEqual(['pensioenverzekering', 'premiepensioenvorderingen']);
  });
});

describe('requires_any (klantbeeld needs a product right)', () => {
  const cat = officeCatalogue();

  it('is disabled until a product is ticked', () => {
    expect(view(cat, []).klantbeeld).toMatchObject({ disabled: true, reason: 'requires' });
    expect(view(cat, ['hypothecair_krediet']).klantbeeld).toMatchObject({ disabled: false, reason: null });
    expect(toggleRight(cat, [], 'klantbeeld', true).selected).toEqual([]);
  });

  it('goes when the last product goes, and says so', () => {
    const start = ['beleggingsobjecten', 'spaarrekeningen', 'vermogen', 'klantbeeld'];
    const r = toggleRight(cat, start, 'beleggingsobjecten', false);
    expect(r.selected).toEqual([]);
    expect(r.removed).toEqual(['spaarrekeningen', 'vermogen', 'klantbeeld']);
  });

  it('stays while another product remains', () => {
    const r = toggleRight(cat, ['hypothecair_krediet', 'inkomensverzekering', 'klantbeeld'], 'hypothecair_krediet', false);
    expect(r.selected).toEqual(['inkomensverzekering', 'klantbeeld']);
    expect(r.removed).toEqual([]);
  });

  it('keeps a ticked box enabled so it can be unticked', () => {
    expect(view(cat, ['klantbeeld']).klantbeeld).toMatchObject({ checked: true, disabled: false });
  });
});

describe('rights that cannot be given', () => {
  it('never grants schadeverzekeringen zakelijk', () => {
    const cat = officeCatalogue({ schadeverzekeringen_zakelijk: { grantable: false } });
    expect(tickBlocker(cat, 'schadeverzekeringen_zakelijk', [])).toBe('never');
    expect(toggleRight(cat, [], 'schadeverzekeringen_zakelijk', true).selected).toEqual([]);
  });

  it('shows rights outside the licences disabled with that reason', () => {
    const cat = officeCatalogue({ zorgverzekeringen: { licensed: false, grantable: false } });
    expect(view(cat, []).zorgverzekeringen).toMatchObject({ disabled: true, reason: 'notLicensed' });
  });

  it('lets a limited administrator give only the rights they hold', () => {
    const cat = officeCatalogue({ pensioenverzekering: { grantable: false }, premiepensioenvorderingen: { grantable: false } });
    expect(view(cat, []).pensioenverzekering).toMatchObject({ disabled: true, reason: 'notHeld' });
    expect(view(cat, []).hypothecair_krediet).toMatchObject({ disabled: false });
  });

  it('blocks a bundle when one of its rights cannot be given', () => {
    const cat = officeCatalogue({ vermogen: { grantable: false } });
    expect(view(cat, []).beleggingsobjecten).toMatchObject({ disabled: true, reason: 'bundlePartner' });
    expect(view(cat, []).vermogen).toMatchObject({ disabled: true, reason: 'notHeld' });
    expect(toggleRight(cat, [], 'spaarrekeningen', true).selected).toEqual([]);
  });

  it('lets the user keep a right they already have, as the API does', () => {
    const cat = officeCatalogue({ pensioenverzekering: { grantable: false }, premiepensioenvorderingen: { grantable: false } });
    const current = ['pensioenverzekering', 'premiepensioenvorderingen'];
    const off = toggleRight(cat, current, 'pensioenverzekering', false, current);
    expect(off.selected).toEqual([]);
    expect(toggleRight(cat, off.selected, 'pensioenverzekering', true, current).selected).toEqual(current);
    expect(rightsProblems(cat, current, current)).toEqual([]);
  });
});

describe('rightsProblems', () => {
  const cat = officeCatalogue();

  it('finds incomplete bundles, unmet requirements and forbidden rights', () => {
    expect(rightsProblems(cat, ['vermogen'])).toEqual([{ kind: 'bundle', right: 'vermogen', missing: ['beleggingsobjecten', 'spaarrekeningen'] }]);
    expect(rightsProblems(cat, ['klantbeeld'])).toEqual([{ kind: 'requires', right: 'klantbeeld', anyOf: expect.any(Array) }]);
    expect(rightsProblems(cat, ['schadeverzekeringen_zakelijk'])).toEqual([{ kind: 'notAllowed', right: 'schadeverzekeringen_zakelijk', reason: 'never' }]);
  });

  it('accepts what toggling produces', () => {
    let sel: string[] = [];
    for (const id of ['vermogen', 'klantbeeld', 'pensioenverzekering', 'user_management']) sel = toggleRight(cat, sel, id, true).selected;
    expect(sel).toEqual(['beleggingsobjecten', 'pensioenverzekering', 'premiepensioenvorderingen', 'spaarrekeningen', 'vermogen', 'user_management', 'klantbeeld']);
    expect(rightsProblems(cat, sel)).toEqual([]);
  });
});

describe('groups and labels', () => {
  it('splits an office catalogue into product and office rights', () => {
    const groups = groupRights(rightViews(officeCatalogue(), []));
    expect(groups.map((g) => [g.key, g.items.length])).toEqual([
      ['products', 13],
      ['office', 4],
    ]);
  });

  it('shows an employer one list of roles, in catalogue order', () => {
    const groups = groupRights(rightViews(employerCatalogue(), ['hr']));
    expect(groups.map((g) => g.key)).toEqual(['roles']);
    expect(groups[0]!.items.map((v) => [v.right.id, v.checked])).toEqual([
      ['user_management', false],
      ['hr', true],
      ['hr_read', false],
      ['finance', false],
    ]);
  });

  it('labels rights in the chosen language, the id when unknown', () => {
    expect(rightLabel(employerCatalogue(), 'hr_read', 'en')).toBe('HR raadplegen');
    expect(rightLabel(employerCatalogue(), 'staff', 'nl')).toBe('staff');
    expect(rightLabel(null, 'hr', 'nl')).toBe('hr');
  });
});
