// Message lookup for Dutch (default) and English. The active language is set
// by prefs.ts; components re-render through the prefs store when it changes.
import { nl, type MessageKey } from './nl';
import { en } from './en';
import { formatDate, formatDateTime, formatMoney, formatPercent, type Lang } from '../format/format';

export type { MessageKey, Lang };

const catalogues: Record<Lang, Record<MessageKey, string>> = { nl, en };

let current: Lang = 'nl';

export function isLang(value: unknown): value is Lang {
  return value === 'nl' || value === 'en';
}

export function setActiveLanguage(lang: Lang): void {
  current = lang;
}

export function activeLanguage(): Lang {
  return current;
}

export type Params = Record<string, string | number>;

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogues.nl, key);
}

export function t(key: MessageKey, params?: Params): string {
  const template = catalogues[current][key] ?? catalogues.nl[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** "3 minuten" / "1 second": how long to wait, rounded up to whole minutes past one minute. */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return t(s === 1 ? 'time.second' : 'time.seconds', { n: s });
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return t(minutes === 1 ? 'time.minute' : 'time.minutes', { n: minutes });
  const hours = Math.ceil(minutes / 60);
  return t(hours === 1 ? 'time.hour' : 'time.hours', { n: hours });
}

/** Formatters bound to the active language. */
export const fmt = {
  money: (v: string) => formatMoney(v, current),
  percent: (v: string, decimals?: number) => formatPercent(v, current, decimals),
  date: (v: string) => formatDate(v, current),
  dateTime: (v: string) => formatDateTime(v, current),
};
