// The signed-in state: resumes a session at start-up with one refresh, keeps
// /me, sends the user to the login page when the session ends, and back to
// the page they were on after logging in again.
import {
  clearSessionTokens,
  configureClient,
  logoutSession,
  refreshSession,
  setSessionTokens,
} from '../api/client';
import { meApi } from '../api/endpoints';
import type { Me, SessionTokens } from '../api/types';
import { activeLanguage } from '../i18n';
import { createStore } from '../lib/store';
import { adoptAccountPrefs, setRemoteSave } from '../prefs';
import { currentPath, isInternalPath, navigate } from '../router';

export type SessionStatus = 'starting' | 'anonymous' | 'authenticated';
export type LoginNotice = 'expired' | 'loggedOut' | null;

export interface SessionState {
  status: SessionStatus;
  me: Me | null;
  notice: LoginNotice;
}

export const session = createStore<SessionState>({ status: 'starting', me: null, notice: null });

/** Pages that make no sense to come back to after logging in. */
const NO_RETURN = ['/login', '/activate', '/reset-password', '/forgot-password', '/forgot-username'];

let returnTo: string | null = null;

export function rememberReturnTo(path: string): void {
  if (isInternalPath(path) && !NO_RETURN.includes(path)) returnTo = path;
}

export function pendingReturnTo(): string | null {
  return returnTo;
}

function saveRemotely(patch: { language?: 'nl' | 'en'; theme?: 'light' | 'dark' }): void {
  meApi
    .patch(patch)
    .then((me) => {
      if (me && typeof me.id === 'string') updateMe(me as Me);
    })
    .catch(() => {
      // The choice still applies on this device; it is retried with the next change.
    });
}

function becomeAuthenticated(me: Me): void {
  adoptAccountPrefs(me);
  setRemoteSave(saveRemotely);
  session.set({ status: 'authenticated', me, notice: null });
}

function becomeAnonymous(notice: LoginNotice): void {
  clearSessionTokens();
  setRemoteSave(null);
  session.set({ status: 'anonymous', me: null, notice });
}

function onSessionExpired(): void {
  if (session.get().status !== 'authenticated') return;
  rememberReturnTo(currentPath.get());
  becomeAnonymous('expired');
  navigate('/login', { replace: true });
}

configureClient({ language: activeLanguage, onSessionExpired });

/** At start-up: one refresh with the HttpOnly cookie resumes an earlier session. */
export async function startSession(): Promise<void> {
  const outcome = await refreshSession();
  if (outcome === 'ok') {
    try {
      becomeAuthenticated(await meApi.get());
      return;
    } catch {
      // fall through: show the login page
    }
  }
  becomeAnonymous(null);
}

/** After the second factor: keep the tokens, load /me, go back to where the user was. */
export async function completeLogin(tokens: Pick<SessionTokens, 'access_token' | 'csrf_token'>): Promise<void> {
  setSessionTokens(tokens);
  const me = await meApi.get();
  const target = returnTo ?? '/';
  returnTo = null;
  becomeAuthenticated(me);
  navigate(target, { replace: true });
}

export function updateMe(me: Me): void {
  const s = session.get();
  if (s.status === 'authenticated') session.set({ ...s, me });
}

export async function reloadMe(): Promise<Me> {
  const me = await meApi.get();
  updateMe(me);
  return me;
}

export async function logout(): Promise<void> {
  await logoutSession();
  returnTo = null;
  becomeAnonymous('loggedOut');
  navigate('/login', { replace: true });
}

export function clearLoginNotice(): void {
  const s = session.get();
  if (s.notice) session.set({ ...s, notice: null });
}
