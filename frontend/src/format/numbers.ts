// Amounts and percentages as people type them, in Dutch or English style,
// turned into the decimal strings the API wants ("52242.28", "80.000"); and
// the BSN 11-proef. No floating point anywhere.
import type { Lang } from './format';

function normalise(text: string, lang: Lang, maxDecimals: number): { int: string; frac: string } | null {
  let s = text.trim().replace(/^€\s*/, '').replace(/\s*%$/, '').replace(/\s/g, '');
  if (!s || s.startsWith('-')) return null;
  const [decimal, group] = lang === 'nl' ? [',', '.'] : ['.', ','];
  // Only the other separator, with one or two digits after it: a decimal
  // point written the other way ("1500.50" in Dutch, "1500,50" in English).
  const other = new RegExp(`^\\d+\\${group}\\d{1,${Math.min(2, maxDecimals)}}$`);
  if (!s.includes(decimal) && other.test(s)) s = s.replace(group, decimal);
  const parts = s.split(decimal);
  if (parts.length > 2) return null;
  const [intRaw = '', frac = ''] = parts;
  const int = intRaw.split(group).join('');
  if (intRaw.includes(group)) {
    const groups = intRaw.split(group);
    if (!/^\d{1,3}$/.test(groups[0]!) || !groups.slice(1).every((g) => /^\d{3}$/.test(g))) return null;
  }
  if (!/^\d+$/.test(int || '0') || !/^\d*$/.test(frac) || frac.length > maxDecimals) return null;
  if (!int && !frac) return null;
  return { int: int.replace(/^0+(?=\d)/, '') || '0', frac };
}

/** "52.242,28" (nl) or "52,242.28" (en) → "52242.28"; null when unreadable or more than 2 decimals. */
export function parseMoneyInput(text: string, lang: Lang, max = '999999999999.99'): string | null {
  const n = normalise(text, lang, 2);
  if (!n) return null;
  const value = `${n.int}.${n.frac.padEnd(2, '0')}`;
  return compareDecimal(value, max) > 0 ? null : value;
}

/** "80" or "80,5" (nl) / "80.5" (en) → "80.000"/"80.500"; 0 to 100, at most 3 decimals. */
export function parsePercentInput(text: string, lang: Lang): string | null {
  const n = normalise(text, lang, 3);
  if (!n) return null;
  const value = `${n.int}.${n.frac.padEnd(3, '0')}`;
  return compareDecimal(value, '100.000') > 0 ? null : value;
}

/** Compares two non-negative decimal strings. */
export function compareDecimal(a: string, b: string): number {
  const [ai = '0', af = ''] = a.split('.');
  const [bi = '0', bf = ''] = b.split('.');
  const ia = ai.replace(/^0+(?=\d)/, '');
  const ib = bi.replace(/^0+(?=\d)/, '');
  if (ia.length !== ib.length) return ia.length < ib.length ? -1 : 1;
  if (ia !== ib) return ia < ib ? -1 : 1;
  const len = Math.max(af.length, bf.length);
  const fa = af.padEnd(len, '0');
  const fb = bf.padEnd(len, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** The Dutch citizen service number check (11-proef): 9 digits, weighted sum divisible by 11. */
export function isValidBsn(text: string): boolean {
  const s = text.replace(/[\s.-]/g, '');
  if (!/^\d{9}$/.test(s) || s === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(s[i]);
  sum -= Number(s[8]);
  return sum % 11 === 0;
}

export function cleanBsn(text: string): string {
  return text.replace(/[\s.-]/g, '');
}
