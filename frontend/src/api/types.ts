// Shapes of the API resources the SPA uses (DESIGN.md §4.1, §4.2).

export type Lang = 'nl' | 'en';
export type Theme = 'light' | 'dark';
export type OrganisationKind = 'insurer' | 'employer' | 'intermediary';

export interface Me {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
  mobile: string | null;
  language: Lang;
  theme: Theme;
  organisation: { id: string; name: string; kind: OrganisationKind };
  rights: string[];
  scheme_ids: string[] | null;
  recovery_codes_remaining: number;
  auth: 'session' | 'api_token';
  /** A new address waiting for its confirmation code, if the API reports it. */
  email_pending?: string | null;
}

export interface TotpEnrolment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

export type LoginAnswer =
  | { mfa_token: string; mfa: 'totp' }
  | { mfa_token: string; mfa: 'enroll'; totp: TotpEnrolment };

export interface SessionTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  csrf_token?: string;
}

export interface MfaAnswer extends SessionTokens {
  recovery_codes?: string[];
}

export interface Address {
  street: string;
  house_number: string;
  postal_code: string;
  city: string;
  country: string;
}

export interface ContactPerson {
  name: string;
  email: string;
  phone: string;
}

export interface Person {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
}

export interface Advisor {
  id: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  postal_address?: Address | null;
  visiting_address?: Address | null;
}

export interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  registration_number: string | null;
  postal_address: Address | null;
  visiting_address: Address | null;
  contact_person: ContactPerson | null;
  notification_email: string | null;
  advisor: Advisor | null;
  administrators: Person[];
}

/** A list page: keyset pagination with an opaque cursor (DESIGN.md §4). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total?: number;
}

export type UserStatus = 'invited' | 'active' | 'locked';

export interface User {
  id: string;
  organisation_id: string;
  first_name: string;
  last_name: string;
  email: string;
  mobile: string | null;
  username: string | null;
  status: UserStatus;
  rights: string[];
  /** null: every scheme of the organisation. */
  scheme_ids: string[] | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserCreate {
  organisation_id?: string;
  first_name: string;
  last_name: string;
  email: string;
  mobile?: string;
  rights: string[];
  scheme_ids: string[] | null;
  expires_at?: string | null;
}

export type UserPatch = Partial<Pick<UserCreate, 'first_name' | 'last_name' | 'mobile' | 'rights' | 'scheme_ids' | 'expires_at'>>;

export type SchemeKind = 'pension' | 'income';

export interface Coverage {
  name: string;
  description?: string | null;
  figures?: Record<string, string>;
}

export interface Scheme {
  id: string;
  organisation_id: string;
  organisation?: { id: string; name: string };
  name: string;
  number: string;
  kind: SchemeKind;
  start_date: string;
  coverages: Coverage[];
  premium: Record<string, unknown> | null;
  variant: 'stop_loss' | 'no_claim' | null;
  insured_wage_type: 'uniform_wage' | 'uniform_wage_excl_car' | 'pensionable_salary' | null;
  created_at?: string;
  updated_at?: string;
}

export interface SchemeCreate {
  organisation_id: string;
  name: string;
  number: string;
  kind: SchemeKind;
  start_date: string;
  variant?: string | null;
  insured_wage_type?: string | null;
}

export type MandateAccess = 'read' | 'read_write';

export interface Mandate {
  id: string;
  employer: { id: string; name: string };
  intermediary: { id: string; name: string };
  access: MandateAccess;
  scheme_ids: string[];
  created_at: string;
  revoked_at: string | null;
}

export interface Intermediary {
  id: string;
  name: string;
  registration_number: string | null;
  visiting_address: Address | null;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  created_by: { id: string; name: string } | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string;
  rights: string[];
  scheme_ids: string[] | null;
  revoked_at: string | null;
  status: 'active' | 'expired' | 'revoked';
  /** Only in the answer to the POST that created it. */
  secret?: string;
}

export interface AuditEvent {
  id: number;
  occurred_at: string;
  actor: { user_id: string | null; token_id: string | null; label: string | null };
  organisation_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  client_address: string | null;
  changes: Record<string, unknown> | null;
}

export interface OrganisationSummary extends Omit<Organisation, 'administrators'> {
  licences?: string[] | null;
  administrators?: Person[];
  created_at?: string;
}

export interface OrganisationWrite {
  kind?: 'employer' | 'intermediary';
  name?: string;
  registration_number?: string | null;
  notification_email?: string | null;
  advisor_id?: string | null;
  postal_address?: Address | null;
  visiting_address?: Address | null;
  contact_person?: ContactPerson | null;
  licences?: string[];
}

export type ParticipantStatus = 'pending_review' | 'active' | 'rejected' | 'dormant' | 'ended';

export interface ParticipantRow {
  id: string;
  scheme_id: string;
  participant_number: string;
  display_name: string;
  employment_start: string;
  salary: string;
  parttime_percentage: string;
  status: ParticipantStatus;
}

export interface PersonRef {
  first_name?: string | null;
  surname: string;
  birth_date: string;
  bsn?: string | null;
  relationship?: string | null;
}

export interface Participant {
  id: string;
  scheme_id: string;
  scheme: { id: string; name: string; number: string; kind: SchemeKind };
  participant_number: string;
  status: ParticipantStatus;
  as_of: string;
  display_name: string;
  person: {
    first_name: string | null;
    initials: string | null;
    surname_prefix: string | null;
    surname: string;
    birth_date: string;
    gender: 'male' | 'female' | 'unknown';
    bsn: string | null;
    email: string | null;
    address: Address | null;
  };
  employment: { start_date: string; end_date: string | null; salary: string; parttime_percentage: string };
  coverages: Coverage[];
  partner: PersonRef | null;
  children: PersonRef[];
  registered_at: string;
  registration?: Change;
  rehired?: boolean;
}

export type ChangeType =
  | 'registration'
  | 'salary_change'
  | 'termination'
  | 'partner_registration'
  | 'child_registration'
  | 'address_change';

export type ChangeStatus = 'processed' | 'pending_review' | 'rejected' | 'cancelled';

export interface Change {
  id: string;
  participant_id: string;
  scheme_id?: string;
  type: ChangeType;
  effective_date: string;
  registered_at: string;
  registered_by?: { kind: string; name: string | null } | null;
  status: ChangeStatus;
  review_reasons: { id: string; message: string }[];
  rejection_reason?: string | null;
  decided_at?: string | null;
  cancelled_at?: string | null;
  cancel_reason?: string | null;
  data?: Record<string, unknown> | null;
  participant_number?: string;
  display_name?: string;
  participant?: { id: string; participant_number: string; display_name: string };
  scheme?: { id: string; name: string; number: string; kind: SchemeKind };
  organisation?: { id: string; name: string };
}

export interface ExportJob {
  id: string;
  status: 'pending' | 'ready' | 'failed';
  format: 'csv' | 'xlsx';
  as_of: string;
  scheme_ids: string[];
  created_by: { id: string | null; token_id: string | null; name: string | null } | null;
  row_count: number | null;
  size_bytes: number | null;
  created_at: string;
  finished_at: string | null;
  expires_at: string | null;
}

export type DocumentCategory = 'financial' | 'legal';
export type DocumentKind =
  | 'invoice'
  | 'booking_overview'
  | 'reminder'
  | 'reconciliation_specification'
  | 'pension_rules'
  | 'execution_agreement'
  | 'addendum';

/** A published document (DESIGN.md §4.5). */
export interface PortalDocument {
  id: string;
  organisation_id: string;
  scheme_id: string | null;
  kind: DocumentKind;
  category: DocumentCategory;
  title: string;
  document_date: string;
  amount: string | null;
  due_date: string | null;
  file_name: string;
  content_type: string;
  size: number;
  created_at: string;
  read_at: string | null;
  first_read: { by: string; user_id: string; at: string } | null;
}

export interface UserRef {
  id: string;
  name: string;
}

/** Who invited a user and who answers for them (seed 003). */
export interface UserResponsibility {
  user_id: string;
  name: string;
  external: boolean;
  expires_at: string | null;
  invited_by: UserRef | null;
  responsible: UserRef | null;
  main_administrator: UserRef | null;
}

/** A collective change (DESIGN.md §4.4). */
export type BatchStatus = 'validating' | 'invalid' | 'valid' | 'queued' | 'processing' | 'processed' | 'failed' | 'discarded';
export type BatchKind = 'salary_change' | 'new_participants';

export interface Batch {
  id: string;
  scheme_id: string;
  kind: BatchKind;
  effective_date: string | null;
  status: BatchStatus;
  file_name: string | null;
  file_format: 'csv' | 'xlsx';
  row_count: number;
  valid_row_count: number;
  error_count: number;
  review_row_count: number;
  applied_row_count: number;
  skipped_row_count: number;
  created_at: string;
  created_by: { kind: 'user' | 'api_token'; id: string | null; token_id: string | null; name: string };
  submitted_at: string | null;
  finished_at: string | null;
}

export interface BatchError {
  row: number;
  column: string | null;
  field: string;
  code: string;
  message: string;
}

// ---- Year-end reconciliation (naverrekening, DESIGN.md §4.6) -------------

export type ReconciliationStatus = 'open' | 'submitted' | 'processed';

export interface ReconciliationResult {
  capped_wage_total: string | null;
  definitive_premium: string | null;
  provisional_premium: string | null;
  settlement: string | null;
  own_risk: string | null;
  sick_pay_cost: string | null;
  reimbursement: string | null;
}

export type EvidenceKind = 'payroll_summary' | 'absence_report';

export interface ReconciliationDuplicate {
  reason: 'same_bsn' | 'same_name_and_birth_date';
  employees: [ReconciliationEmployee, ReconciliationEmployee];
}

/** POST /reconciliations/bulk: one year's parameters for every income scheme. */
export interface ReconciliationBulkOpen {
  year: number;
  deadline: string;
  premium_rate?: string;
  provisional_premium?: string;
  wage_cap?: string;
  own_risk_percentage?: string;
  own_risk_amount?: string;
  continued_pay_percentage?: string;
  maximum_reimbursement?: string;
}

export interface ReconciliationBulkResult {
  year: number;
  opened: Reconciliation[];
  skipped: { scheme_id: string; reason: 'exists' | 'not_started' | 'variant_missing' }[];
}

export interface ReconciliationEvidence {
  id: string;
  reconciliation_id: string;
  kind: EvidenceKind;
  file_name: string;
  content_type: string;
  size: number;
  checklist_confirmed: boolean;
  created_at: string;
}

export interface Reconciliation {
  id: string;
  scheme_id: string;
  scheme_number: string;
  scheme_name: string;
  organisation_id: string;
  organisation_name: string;
  year: number;
  status: ReconciliationStatus;
  variant: 'stop_loss' | 'no_claim';
  policy_start: string;
  insured_wage_type: 'uniform_wage' | 'uniform_wage_excl_car' | 'pensionable_salary' | null;
  deadline: string;
  premium_rate: string;
  provisional_premium: string;
  wage_cap: string;
  own_risk_percentage: string | null;
  own_risk_amount: string | null;
  continued_pay_percentage: string | null;
  maximum_reimbursement: string | null;
  reopen_reason: string | null;
  submitted_at: string | null;
  processed_at: string | null;
  created_at: string;
  version: number;
  employee_count?: number;
  evidence?: ReconciliationEvidence[];
  /** The evidence files staff asked for when opening (absent from older answers: none). */
  evidence_requested?: EvidenceKind[];
  result: ReconciliationResult | null;
}

export interface ReconciliationCreate {
  scheme_id: string;
  year: number;
  deadline: string;
  premium_rate: string;
  provisional_premium: string;
  wage_cap?: string;
  own_risk_percentage?: string;
  own_risk_amount?: string;
  continued_pay_percentage?: string;
  maximum_reimbursement?: string;
  evidence_requested?: EvidenceKind[];
}

export interface Employment {
  start_date: string;
  end_date: string | null;
  fixed_term: boolean;
}

export interface ReconciliationLine {
  days: number;
  prorated_cap: string;
  capped_wage: string;
  premium: string;
}

export interface ReconciliationEmployee {
  id: string;
  participant_id: string | null;
  first_name: string | null;
  initials: string;
  surname_prefix: string | null;
  surname: string;
  display_name: string;
  birth_date: string;
  gender: 'male' | 'female' | 'unknown';
  bsn: string;
  left_service: boolean;
  insured_wage: string | null;
  employments: Employment[];
  line: ReconciliationLine | null;
  seq: number;
}

export interface ReconciliationPerson {
  first_name?: string;
  initials: string;
  surname_prefix?: string;
  surname: string;
  birth_date: string;
  gender: 'male' | 'female' | 'unknown';
  bsn: string;
}

export interface SickReport {
  id: string;
  employee_id: string;
  first_sick_day: string;
  report_date: string;
  recovery_date: string | null;
  ao_percentage: string;
  atw_percentage: string;
  sick_days: number | null;
  daily_wage: string | null;
  cost: string | null;
  created_at: string;
}

export interface SickReportCreate {
  employee_id: string;
  first_sick_day: string;
  report_date: string;
  recovery_date: string | null;
  ao_percentage: string;
  atw_percentage: string;
}

// ---- Payroll periods of a scheme (loonaangifte feedback) -----------------

export type PayrollPeriodStatus = 'processed' | 'processing' | 'failed';

export interface PayrollPeriod {
  period: string;
  status: PayrollPeriodStatus;
  received_at: string;
  employments: number;
  accepted: number;
  unchanged: number;
  rejected: number;
}

export interface PayrollFeedback {
  personnel_number: string;
  employment_number: string;
  name: string;
  result: 'accepted' | 'unchanged' | 'rejected';
  changes: unknown[];
  code: string | null;
  message: string | null;
}

export interface PayrollPeriodDetail extends PayrollPeriod {
  feedback: PayrollFeedback[];
}
