// One function per API call the SPA makes; paths and bodies as in DESIGN.md §4.1–4.2.
import { api, newIdempotencyKey, request, type ApiResult } from './client';
import type { RightsCatalogue } from '../rights/rules';
import type {
  Address,
  ApiToken,
  AuditEvent,
  ContactPerson,
  Intermediary,
  Lang,
  LoginAnswer,
  Mandate,
  MandateAccess,
  Me,
  MfaAnswer,
  Organisation,
  OrganisationSummary,
  OrganisationWrite,
  Page,
  Scheme,
  SchemeCreate,
  SessionTokens,
  Theme,
  User,
  UserCreate,
  UserPatch,
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
  unlock: (token: string) => api<void>('/auth/unlock', { ...pub, body: { token } }),
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

/**
 * "?a=1&b=x" from the given values; empty and null ones are left out. A list
 * repeats its key (scheme_id=a&scheme_id=b): the API splits only on a literal
 * comma, and URLSearchParams would send an encoded one.
 */
export function query(params: Record<string, string | number | readonly string[] | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const item of v) q.append(k, item);
    else if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

const id = (v: string) => encodeURIComponent(v);

export interface ListParams {
  cursor?: string | null;
  limit?: number;
}

export const rightsApi = {
  catalogue: (organisationId?: string) => api<RightsCatalogue>(`/rights${query({ organisation_id: organisationId })}`),
};

export const usersApi = {
  list: (p: ListParams & { q?: string; organisation_id?: string }) => api<Page<User>>(`/users${query({ ...p })}`),
  get: (userId: string) => request<User>(`/users/${id(userId)}`),
  create: (body: UserCreate) => request<User>('/users', { body, idempotencyKey: newIdempotencyKey() }),
  patch: (userId: string, body: UserPatch, etag: string | null) =>
    request<User>(`/users/${id(userId)}`, { method: 'PATCH', body, ifMatch: etag }),
  remove: (userId: string, etag: string | null) => request<void>(`/users/${id(userId)}`, { method: 'DELETE', ifMatch: etag }),
  resendInvitation: (userId: string) => api<{ status: string }>(`/users/${id(userId)}/invitation`, { body: {} }),
};

export const schemesApi = {
  list: (p: ListParams & { organisation_id?: string; kind?: string } = {}) => api<Page<Scheme>>(`/schemes${query({ ...p })}`),
  get: (schemeId: string) => request<Scheme>(`/schemes/${id(schemeId)}`),
  create: (body: SchemeCreate) => request<Scheme>('/schemes', { body, idempotencyKey: newIdempotencyKey() }),
  patch: (schemeId: string, body: Partial<SchemeCreate>, etag: string | null) =>
    request<Scheme>(`/schemes/${id(schemeId)}`, { method: 'PATCH', body, ifMatch: etag }),
};

/** Every page of a list (for small lists such as an employer's schemes). */
export async function allPages<T>(load: (cursor: string | null) => Promise<Page<T>>, max = 20): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < max; i++) {
    const page: Page<T> = await load(cursor);
    out.push(...page.items);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return out;
}

export const mandatesApi = {
  list: (p: ListParams & { status?: 'active' | 'revoked' } = {}) => api<Page<Mandate>>(`/mandates${query({ ...p })}`),
  create: (body: { intermediary_id: string; scheme_ids: string[]; access: MandateAccess }) =>
    request<Mandate>('/mandates', { body, idempotencyKey: newIdempotencyKey() }),
  revoke: (mandateId: string) => request<void>(`/mandates/${id(mandateId)}`, { method: 'DELETE' }),
};

export const intermediariesApi = {
  search: (q: string, p: ListParams = {}) => api<Page<Intermediary>>(`/intermediaries${query({ q, ...p })}`),
};

export const apiTokensApi = {
  list: (p: ListParams = {}) => api<Page<ApiToken>>(`/api-tokens${query({ ...p })}`),
  create: (body: { name: string; rights: string[]; scheme_ids: string[] | null; expires_at: string }) =>
    request<ApiToken>('/api-tokens', { body, idempotencyKey: newIdempotencyKey() }),
  revoke: (tokenId: string) => request<void>(`/api-tokens/${id(tokenId)}`, { method: 'DELETE' }),
};

export interface AuditFilters {
  from?: string;
  to?: string;
  target_type?: string;
  target_id?: string;
  actor?: string;
  organisation_id?: string;
}

export const auditApi = {
  list: (f: AuditFilters & ListParams) => api<Page<AuditEvent>>(`/audit-events${query({ ...f })}`),
};

export const organisationsApi = {
  list: (p: ListParams & { q?: string; kind?: string }) => api<Page<OrganisationSummary>>(`/organisations${query({ ...p })}`),
  get: (orgId: string) => request<OrganisationSummary>(`/organisations/${id(orgId)}`),
  create: (body: OrganisationWrite) =>
    request<OrganisationSummary>('/organisations', { body, idempotencyKey: newIdempotencyKey() }),
  patch: (orgId: string, body: OrganisationWrite, etag: string | null) =>
    request<OrganisationSummary>(`/organisations/${id(orgId)}`, { method: 'PATCH', body, ifMatch: etag }),
};

export const participantsApi = {
  list: (p: ListParams & { scheme_id?: string; q?: string; status?: string; sort?: string }) =>
    api<Page<import('./types').ParticipantRow>>(`/participants${query({ ...p })}`),
  get: (participantId: string) => request<import('./types').Participant>(`/participants/${id(participantId)}`),
  create: (body: unknown) => request<import('./types').Participant>('/participants', { body, idempotencyKey: newIdempotencyKey() }),
  history: (participantId: string, p: ListParams = {}) =>
    api<Page<import('./types').Change>>(`/participants/${id(participantId)}/changes${query({ ...p })}`),
  change: (participantId: string, body: Record<string, unknown>) =>
    request<import('./types').Change>(`/participants/${id(participantId)}/changes`, { body, idempotencyKey: newIdempotencyKey() }),
};

export const changesApi = {
  submitted: (p: ListParams & { scheme_id?: string }) => api<Page<import('./types').Change>>(`/changes${query({ ...p })}`),
  cancel: (changeId: string, reason: string) => request<import('./types').Change>(`/changes/${id(changeId)}/cancel`, { body: { reason } }),
};

export const reviewsApi = {
  list: (p: ListParams = {}) => api<Page<import('./types').Change>>(`/reviews${query({ ...p })}`),
  approve: (reviewId: string) => request<import('./types').Change>(`/reviews/${id(reviewId)}/approve`, { body: {} }),
  reject: (reviewId: string, reason: string) => request<import('./types').Change>(`/reviews/${id(reviewId)}/reject`, { body: { reason } }),
};

export const exportsApi = {
  list: (p: ListParams = {}) => api<Page<import('./types').ExportJob>>(`/exports${query({ ...p })}`),
  get: (exportId: string) => api<import('./types').ExportJob>(`/exports/${id(exportId)}`),
  create: (body: { scheme_ids: string[]; as_of: string; format: 'csv' | 'xlsx' }) =>
    request<import('./types').ExportJob>('/exports', { body, idempotencyKey: newIdempotencyKey() }),
};

export interface DocumentFilters extends ListParams {
  category?: import('./types').DocumentCategory;
  kind?: import('./types').DocumentKind;
  scheme_id?: string;
  unread?: 'true';
  organisation_id?: string;
}

export const documentsApi = {
  list: (f: DocumentFilters = {}) => api<Page<import('./types').PortalDocument>>(`/documents${query({ ...f })}`),
  /** How many documents match (unread counts for tiles and tabs). */
  count: async (f: DocumentFilters) =>
    (await api<Page<import('./types').PortalDocument>>(`/documents${query({ ...f, limit: 1 })}`)).total ?? 0,
  publish: (form: FormData) => request<import('./types').PortalDocument>('/documents', { form }),
  withdraw: (documentId: string) => request<void>(`/documents/${id(documentId)}`, { method: 'DELETE' }),
};

export const accountCareApi = {
  resetSecondFactor: (userId: string) =>
    request<void>(`/users/${id(userId)}/second-factor-reset`, { method: 'POST', body: {} }),
  releaseLogin: (userId: string) => request<void>(`/users/${id(userId)}/login-release`, { method: 'POST', body: {} }),
  makeMainAdministrator: (userId: string) =>
    request<void>(`/users/${id(userId)}/main-administrator`, { method: 'POST', body: {} }),
  responsibility: (userId: string) =>
    api<import('./types').UserResponsibility>(`/users/${id(userId)}/responsibility`),
  handOver: (userId: string, responsibleUserId: string) =>
    request<import('./types').UserResponsibility>(`/users/${id(userId)}/responsibility`, {
      body: { responsible_user_id: responsibleUserId },
    }),
};

export const batchesApi = {
  list: (p: ListParams & { scheme_id?: string } = {}) =>
    api<Page<import('./types').Batch>>(`/batches${query({ ...p })}`),
  get: (batchId: string) => api<import('./types').Batch>(`/batches/${id(batchId)}`),
  errors: (batchId: string, p: ListParams = {}) =>
    api<Page<import('./types').BatchError>>(`/batches/${id(batchId)}/errors${query({ ...p })}`),
  submit: (batchId: string, skipInvalidRows: boolean) =>
    request<import('./types').Batch>(`/batches/${id(batchId)}/submit`, {
      body: { skip_invalid_rows: skipInvalidRows },
      idempotencyKey: newIdempotencyKey(),
    }),
  discard: (batchId: string) =>
    request<import('./types').Batch>(`/batches/${id(batchId)}/discard`, { body: {}, idempotencyKey: newIdempotencyKey() }),
};

export interface ReconciliationFilters extends ListParams {
  year?: number | string;
  status?: import('./types').ReconciliationStatus | '';
  deadline_before?: string;
  scheme_id?: string;
}

export const reconciliationsApi = {
  list: (f: ReconciliationFilters = {}) => api<Page<import('./types').Reconciliation>>(`/reconciliations${query({ ...f })}`),
  get: (reconciliationId: string) => request<import('./types').Reconciliation>(`/reconciliations/${id(reconciliationId)}`),
  create: (body: import('./types').ReconciliationCreate) =>
    request<import('./types').Reconciliation>('/reconciliations', { body, idempotencyKey: newIdempotencyKey() }),
  employees: (reconciliationId: string, p: ListParams = {}) =>
    api<Page<import('./types').ReconciliationEmployee>>(`/reconciliations/${id(reconciliationId)}/employees${query({ ...p })}`),
  addEmployee: (
    reconciliationId: string,
    body: { person: import('./types').ReconciliationPerson; employments: import('./types').Employment[]; insured_wage?: string },
  ) =>
    request<import('./types').ReconciliationEmployee>(`/reconciliations/${id(reconciliationId)}/employees`, {
      body,
      idempotencyKey: newIdempotencyKey(),
    }),
  patchEmployee: (
    reconciliationId: string,
    employeeId: string,
    body: { person?: import('./types').ReconciliationPerson; insured_wage?: string | null; employments?: import('./types').Employment[] },
  ) =>
    request<import('./types').ReconciliationEmployee>(`/reconciliations/${id(reconciliationId)}/employees/${id(employeeId)}`, {
      method: 'PATCH',
      body,
    }),
  sickReports: (reconciliationId: string) =>
    api<Page<import('./types').SickReport>>(`/reconciliations/${id(reconciliationId)}/sick-reports`),
  addSickReport: (reconciliationId: string, body: import('./types').SickReportCreate) =>
    request<import('./types').SickReport>(`/reconciliations/${id(reconciliationId)}/sick-reports`, {
      body,
      idempotencyKey: newIdempotencyKey(),
    }),
  addEvidence: (reconciliationId: string, form: FormData) =>
    request<import('./types').ReconciliationEvidence>(`/reconciliations/${id(reconciliationId)}/evidence`, { form }),
  submit: (reconciliationId: string) =>
    request<import('./types').Reconciliation>(`/reconciliations/${id(reconciliationId)}/submit`, { body: {} }),
  reopen: (reconciliationId: string, reason: string) =>
    request<import('./types').Reconciliation>(`/reconciliations/${id(reconciliationId)}/reopen`, { body: { reason } }),
  duplicates: (reconciliationId: string) =>
    api<{ items: import('./types').ReconciliationDuplicate[]; total: number }>(`/reconciliations/${id(reconciliationId)}/duplicates`),
  mergeDuplicates: (reconciliationId: string, keepEmployeeId: string, mergeEmployeeId: string) =>
    request<import('./types').ReconciliationEmployee>(`/reconciliations/${id(reconciliationId)}/duplicates/merge`, {
      body: { keep_employee_id: keepEmployeeId, merge_employee_id: mergeEmployeeId },
      idempotencyKey: newIdempotencyKey(),
    }),
  dismissDuplicates: (reconciliationId: string, employeeIds: [string, string]) =>
    request<void>(`/reconciliations/${id(reconciliationId)}/duplicates/dismiss`, { body: { employee_ids: employeeIds } }),
  uploadWages: (reconciliationId: string, form: FormData) =>
    request<{ rows: number; updated: number }>(`/reconciliations/${id(reconciliationId)}/wages`, { form }),
  openForYear: (body: import('./types').ReconciliationBulkOpen) =>
    request<import('./types').ReconciliationBulkResult>('/reconciliations/bulk', { body, idempotencyKey: newIdempotencyKey() }),
  evidencePath: (reconciliationId: string, evidenceId: string) => `/reconciliations/${id(reconciliationId)}/evidence/${id(evidenceId)}`,
};

export const payrollPeriodsApi = {
  list: (schemeId: string) => api<{ items: import('./types').PayrollPeriod[] }>(`/schemes/${id(schemeId)}/payroll-periods`),
  get: (schemeId: string, period: string) =>
    api<import('./types').PayrollPeriodDetail>(`/schemes/${id(schemeId)}/payroll-periods/${id(period)}`),
};
