// Locale-fixed formatting of API values (decimal strings, ISO dates) for Dutch
// and English. Nothing here depends on the browser's locale, and money is
// formatted from the decimal string itself: no floating point.

export type Lang = 'nl' | 'en';

interface Decimal {
  negative: boolean;
  int: string; // digits, no leading zeros (at least "0")
  frac: string; // digits
}

const DECIMAL = /^\s*([+-])?(\d*)(?:\.(\d*))?\s*$/;

export function parseDecimal(input: string): Decimal | null {
  const m = DECIMAL.exec(input);
  if (!m) return null;
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits === '' && fracDigits === '') return null;
  return {
    negative: m[1] === '-',
    int: intDigits.replace(/^0+(?=\d)/, '') || '0',
    frac: fracDigits,
  };
}

/** Adds one to a string of decimal digits ("099" → "100", "9" → "10"). */
function incrementDigits(digits: string): string {
  const out = digits.split('');
  let i = out.length - 1;
  while (i >= 0) {
    if (out[i] === '9') {
      out[i] = '0';
      i--;
    } else {
      out[i] = String.fromCharCode(out[i]!.charCodeAt(0) + 1);
      return out.join('');
    }
  }
  return '1' + out.join('');
}

/** Rounds to a fixed number of decimals, half away from zero. */
function toFixed(d: Decimal, decimals: number): Decimal {
  if (d.frac.length <= decimals) {
    return { ...d, frac: d.frac.padEnd(decimals, '0') };
  }
  const kept = d.int + d.frac.slice(0, decimals);
  const roundUp = d.frac.charCodeAt(decimals) >= '5'.charCodeAt(0);
  const digits = roundUp ? incrementDigits(kept) : kept;
  const intLen = digits.length - decimals;
  return {
    negative: d.negative,
    int: digits.slice(0, intLen).replace(/^0+(?=\d)/, '') || '0',
    frac: digits.slice(intLen),
  };
}

function group(int: string, separator: string): string {
  let out = '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) out += separator;
    out += int[i];
  }
  return out;
}

const SEPARATORS: Record<Lang, { group: string; decimal: string }> = {
  nl: { group: '.', decimal: ',' },
  en: { group: ',', decimal: '.' },
};

function formatNumberParts(value: string, decimals: number, lang: Lang): { negative: boolean; text: string } | null {
  const parsed = parseDecimal(value);
  if (!parsed) return null;
  const d = toFixed(parsed, decimals);
  const isZero = /^0*$/.test(d.int + d.frac);
  const sep = SEPARATORS[lang];
  const text = group(d.int, sep.group) + (decimals > 0 ? sep.decimal + d.frac : '');
  return { negative: d.negative && !isZero, text };
}

/** "52242.28" → "52.242,28" (nl) / "52,242.28" (en). Unreadable input is returned as given. */
export function formatDecimal(value: string, decimals: number, lang: Lang): string {
  const p = formatNumberParts(value, decimals, lang);
  if (!p) return value;
  return (p.negative ? '-' : '') + p.text;
}

/** "52242.28" → "€ 52.242,28" (nl) / "€52,242.28" (en); negatives "€ -5,00" / "-€5.00". */
export function formatMoney(value: string, lang: Lang): string {
  const p = formatNumberParts(value, 2, lang);
  if (!p) return value;
  const sign = p.negative ? '-' : '';
  return lang === 'nl' ? `€ ${sign}${p.text}` : `${sign}€${p.text}`;
}

/** "100.000" → "100,000%" (nl) / "100.000%" (en). */
export function formatPercent(value: string, lang: Lang, decimals = 3): string {
  const p = formatNumberParts(value, decimals, lang);
  if (!p) return value;
  return `${p.negative ? '-' : ''}${p.text}%`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2019-08-01" → "01-08-2019" (nl) / "01/08/2019" (en). */
export function formatDate(value: string, lang: Lang): string {
  const m = ISO_DATE.exec(value);
  if (!m) return value;
  const [, y, mo, d] = m;
  return lang === 'nl' ? `${d}-${mo}-${y}` : `${d}/${mo}/${y}`;
}

let amsterdam: Intl.DateTimeFormat | null = null;

/** An RFC 3339 timestamp shown as date and time in Europe/Amsterdam: "10-10-2023 10:05" / "10/10/2023 10:05". */
export function formatDateTime(value: string, lang: Lang): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return value;
  amsterdam ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts: Record<string, string> = {};
  for (const p of amsterdam.formatToParts(new Date(time))) parts[p.type] = p.value;
  const date = formatDate(`${parts.year}-${parts.month}-${parts.day}`, lang);
  return `${date} ${parts.hour}:${parts.minute}`;
}

/** Groups a TOTP secret in blocks of four for reading aloud or typing. */
export function groupSecret(secret: string): string {
  const clean = secret.replace(/\s+/g, '');
  return clean.match(/.{1,4}/g)?.join(' ') ?? '';
}
