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
