// Language and theme. Before login they follow a localStorage choice (only
// "nl"/"en" and "light"/"dark"); after login they come from /me and changes
// are saved with PATCH /me so they follow the user to another browser.
import { createStore } from './lib/store';
import { isLang, setActiveLanguage, type Lang } from './i18n';
import type { Theme } from './api/types';

export interface Prefs {
  lang: Lang;
  theme: Theme;
}

const LANG_KEY = 'portal.language';
const THEME_KEY = 'portal.theme';

function isTheme(v: unknown): v is Theme {
  return v === 'light' || v === 'dark';
}

function readLocal(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeLocal(p: Prefs): void {
  try {
    window.localStorage.setItem(LANG_KEY, p.lang);
    window.localStorage.setItem(THEME_KEY, p.theme);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts this visit.
  }
}

export function storedPrefs(): Prefs {
  const lang = readLocal(LANG_KEY);
  const theme = readLocal(THEME_KEY);
  return { lang: isLang(lang) ? lang : 'nl', theme: isTheme(theme) ? theme : 'light' };
}

export const prefs = createStore<Prefs>(storedPrefs());

export function applyPrefs(p: Prefs): void {
  setActiveLanguage(p.lang);
  const root = document.documentElement;
  root.lang = p.lang;
  root.dataset.theme = p.theme;
}

prefs.subscribe(() => applyPrefs(prefs.get()));

type RemoteSave = (patch: { language?: Lang; theme?: Theme }) => void;
let remoteSave: RemoteSave | null = null;

/** Set while signed in: saves preference changes to the account. */
export function setRemoteSave(fn: RemoteSave | null): void {
  remoteSave = fn;
}

export function chooseLanguage(lang: Lang): void {
  if (prefs.get().lang === lang) return;
  prefs.set({ ...prefs.get(), lang });
  writeLocal(prefs.get());
  remoteSave?.({ language: lang });
}

export function chooseTheme(theme: Theme): void {
  if (prefs.get().theme === theme) return;
  prefs.set({ ...prefs.get(), theme });
  writeLocal(prefs.get());
  remoteSave?.({ theme });
}

/** After login: the account's preferences win, and become the local default too. */
export function adoptAccountPrefs(account: { language: unknown; theme: unknown }): void {
  const current = prefs.get();
  const next: Prefs = {
    lang: isLang(account.language) ? account.language : current.lang,
    theme: isTheme(account.theme) ? account.theme : current.theme,
  };
  if (next.lang !== current.lang || next.theme !== current.theme) prefs.set(next);
  writeLocal(next);
}
