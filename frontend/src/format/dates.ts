// Calendar dates typed by people and instants the API wants, always in
// Europe/Amsterdam and never by the browser's locale: "31-12-2026" and
// "31/12/2026" are both day-month-year (seed 001 warns about mm/dd).

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isIsoDate(value: string): boolean {
  const m = ISO.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/**
 * A date as typed ("31-12-2026", "31/12/2026", "31.12.2026", "1-2-2026" or
 * ISO "2026-12-31") → "2026-12-31"; null when it is not a real date.
 */
export function parseDateInput(text: string): string | null {
  const s = text.trim();
  if (ISO.test(s)) return isIsoDate(s) ? s : null;
  const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (!m) return null;
  const iso = `${m[3]}-${pad(Number(m[2]))}-${pad(Number(m[1]))}`;
  return isIsoDate(iso) ? iso : null;
}

let parts: Intl.DateTimeFormat | null = null;

function amsterdamParts(time: number): Record<string, string> {
  parts ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const out: Record<string, string> = {};
  for (const p of parts.formatToParts(new Date(time))) out[p.type] = p.value;
  return out;
}

/** The Amsterdam calendar date of an instant (RFC 3339 text or Date). */
export function amsterdamDate(value: string | Date): string | null {
  const time = typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (Number.isNaN(time)) return null;
  const p = amsterdamParts(time);
  return `${p.year}-${p.month}-${p.day}`;
}

export function todayAmsterdam(now: Date = new Date()): string {
  return amsterdamDate(now)!;
}

/** "2026-01-31" + 1 month → "2026-02-28" (the day clamped to the month's end). */
export function addMonths(iso: string, months: number): string {
  const m = ISO.exec(iso);
  if (!m) return iso;
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(Number(m[3]), daysInMonth(year, month));
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function addDays(iso: string, days: number): string {
  const m = ISO.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * The last second of an Amsterdam calendar day as an RFC 3339 UTC instant:
 * "valid through 31-12-2026" (CET or CEST, whichever applies that day).
 */
export function endOfDayAmsterdam(iso: string): string | null {
  if (!isIsoDate(iso)) return null;
  const [y, mo, d] = iso.split('-').map(Number) as [number, number, number];
  for (const offsetHours of [1, 2]) {
    const time = Date.UTC(y, mo - 1, d, 23 - offsetHours, 59, 59);
    const p = amsterdamParts(time);
    if (`${p.year}-${p.month}-${p.day}` === iso && p.hour === '23') {
      return new Date(time).toISOString().replace('.000Z', 'Z');
    }
  }
  return null;
}

/** The start of an Amsterdam calendar day as an RFC 3339 UTC instant. */
export function startOfDayAmsterdam(iso: string): string | null {
  if (!isIsoDate(iso)) return null;
  const [y, mo, d] = iso.split('-').map(Number) as [number, number, number];
  for (const offsetHours of [1, 2]) {
    const time = Date.UTC(y, mo - 1, d, 0 - offsetHours, 0, 0);
    const p = amsterdamParts(time);
    if (`${p.year}-${p.month}-${p.day}` === iso && p.hour === '00') {
      return new Date(time).toISOString().replace('.000Z', 'Z');
    }
  }
  return null;
}
