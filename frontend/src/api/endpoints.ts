// One function per API call the SPA makes; paths and bodies as in DESIGN.md §4.1–4.2.
import { api, request, type ApiResult } from './client';
import type {
  Address,
  ContactPerson,
  Lang,
  LoginAnswer,
  Me,
  MfaAnswer,
  Organisation,
  SessionTokens,
  Theme,
} from './types';

const pub = { auth: false } as const;

export const authApi = {
  login: (username: string, password: string) =>
    api<LoginAnswer>('/auth/login', { ...pub, body: { username, password } }),
  mfa: (mfa_token: string, code: string) =>
    api<MfaAnswer>('/auth/mfa', { ...pub, body: { mfa_token, code, session: 'cookie' } }),
  recoveryCode: (mfa_token: string, recovery_code: string) =>
    api<LoginAnswer>('/auth/mfa', { ...pub, body: { mfa_token, recovery_code } }),
  requestPasswordReset: (username: string, email: string) =>
    api<void>('/auth/password-reset', { ...pub, body: { username, email } }),
  confirmPasswordReset: (token: string, password: string) =>
    api<void>('/auth/password-reset/confirm', { ...pub, body: { token, password } }),
  usernameReminder: (email: string) => api<void>('/auth/username-reminder', { ...pub, body: { email } }),
};

export type CodeChannel = 'email' | 'sms';

export const activationApi = {
  sendCode: (token: string, email: string, channel: CodeChannel) =>
    api<void>('/activation/verification-code', { ...pub, body: { token, email, channel } }),
  activate: (token: string, code: string, username: string, password: string) =>
    api<unknown>('/activation', { ...pub, body: { token, code, username, password } }),
};

export interface MePatch {
  first_name?: string;
  last_name?: string;
  email?: string;
  language?: Lang;
  theme?: Theme;
}

/** PATCH /me answers the new /me; an e-mail change may answer only {email_pending}. */
export type MePatchAnswer = Partial<Me> & { email_pending?: string | null };

export const meApi = {
  get: () => api<Me>('/me'),
  patch: (patch: MePatch) => api<MePatchAnswer>('/me', { method: 'PATCH', body: patch }),
  confirmEmail: (code: string) => api<MePatchAnswer | undefined>('/me/email/confirm', { body: { code } }),
  changePassword: (current_password: string, new_password: string) =>
    api<SessionTokens>('/me/password', { body: { current_password, new_password } }),
  regenerateRecoveryCodes: (code: string) =>
    api<{ recovery_codes: string[] }>('/me/recovery-codes', { body: { code } }),
};

export interface OrganisationPatch {
  postal_address?: Address;
  contact_person?: ContactPerson;
}

export const organisationApi = {
  get: (): Promise<ApiResult<Organisation>> => request<Organisation>('/organisation'),
  patch: (patch: OrganisationPatch, etag: string | null) =>
    request<Organisation>('/organisation', { method: 'PATCH', body: patch, ifMatch: etag }),
};
