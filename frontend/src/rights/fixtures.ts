// The intermediary catalogue of seed 000 §8 as GET /api/v1/rights gives it
// (labels shortened), for the unit tests.
import type { RightDef, RightsCatalogue } from './rules';

const r = (id: string, nl: string, licensable: boolean, extra: Partial<RightDef> = {}): RightDef => ({
  id,
  label: { nl, en: nl },
  description: { nl: `${nl} (uitleg)`, en: `${nl} (explained)` },
  licensable,
  grantable: true,
  licensed: true,
  ...extra,
});

export const PRODUCTS = [
  'beleggingsobjecten',
  'betaalrekeningen',
  'consumptief_krediet',
  'elektronisch_geld',
  'hypothecair_krediet',
  'inkomensverzekering',
  'pensioenverzekering',
  'premiepensioenvorderingen',
  'schadeverzekeringen_particulier',
  'schadeverzekeringen_zakelijk',
  'spaarrekeningen',
  'vermogen',
  'zorgverzekeringen',
];

export function officeCatalogue(changes: Record<string, Partial<RightDef>> = {}): RightsCatalogue {
  const names: Record<string, string> = {
    beleggingsobjecten: 'Beleggingsobjecten',
    betaalrekeningen: 'Betaalrekeningen',
    consumptief_krediet: 'Consumptief krediet',
    elektronisch_geld: 'Elektronisch geld',
    hypothecair_krediet: 'Hypothecair krediet',
    inkomensverzekering: 'Inkomensverzekering',
    pensioenverzekering: 'Pensioenverzekering',
    premiepensioenvorderingen: 'Premiepensioenvorderingen',
    schadeverzekeringen_particulier: 'Schadeverzekeringen particulier',
    schadeverzekeringen_zakelijk: 'Schadeverzekeringen zakelijk',
    spaarrekeningen: 'Spaarrekeningen',
    vermogen: 'Vermogen',
    zorgverzekeringen: 'Zorgverzekeringen',
  };
  const items = [
    ...PRODUCTS.map((id) => r(id, names[id]!, true, id === 'schadeverzekeringen_zakelijk' ? { grantable: false } : {})),
    r('user_management', 'Beheerder', false),
    r('klantbeeld', 'Klantbeeld', false),
    r('financieel_rekening_courant', 'Financieel rekening courant', false),
    r('advieskansen', 'Advieskansen', false),
  ].map((item) => ({ ...item, ...(changes[item.id] ?? {}) }));
  const d = (nl: string) => ({ nl, en: nl });
  return {
    organisation_kind: 'intermediary',
    items,
    rules: [
      { kind: 'bundle', rights: ['beleggingsobjecten', 'spaarrekeningen', 'vermogen'], requires: [], description: d('Bank samen.') },
      { kind: 'bundle', rights: ['premiepensioenvorderingen', 'pensioenverzekering'], requires: [], description: d('Pensioen samen.') },
      { kind: 'requires_any', rights: ['klantbeeld'], requires: PRODUCTS, description: d('Klantbeeld vraagt minstens één productrecht.') },
      { kind: 'never', rights: ['schadeverzekeringen_zakelijk'], requires: [], description: d('Schadeverzekeringen zakelijk wordt nooit toegekend.') },
    ],
  };
}

export function employerCatalogue(): RightsCatalogue {
  return {
    organisation_kind: 'employer',
    items: [r('user_management', 'Gebruikersbeheer', false), r('hr', 'HR', false), r('hr_read', 'HR raadplegen', false), r('finance', 'Finance', false)],
    rules: [],
  };
}
