// The route table. Screens that are not built yet come from the navigation
// catalogue and show "this function follows"; when one is built, give it a
// route here (before the placeholders) and mark it available in nav/menu.ts.
import type { JSX } from 'preact';
import type { Me } from './api/types';
import { NAV_ENTRIES } from './nav/menu';
import { ActivatePage } from './pages/Activate';
import { HomePage } from './pages/Home';
import { LoginPage } from './pages/Login';
import { OrganisationPage } from './pages/Organisation';
import { ProfilePage } from './pages/Profile';
import { ForgotPasswordPage, ForgotUsernamePage, ResetPasswordPage } from './pages/Recover';
import { UnlockPage } from './pages/Unlock';
import { ServicePage } from './pages/Service';
import { PlaceholderPage } from './pages/Simple';
import { ApiTokensPage } from './pages/admin/ApiTokens';
import { AuditPage } from './pages/admin/Audit';
import { MandatesPage } from './pages/admin/Mandates';
import { UserFormPage } from './pages/admin/UserForm';
import { UsersPage } from './pages/admin/Users';
import { SchemePage, SchemesPage } from './pages/Schemes';
import { BatchesPage } from './pages/participants/Batches';
import { ChangesPage } from './pages/participants/Changes';
import { ExportsPage } from './pages/participants/Exports';
import { NewParticipantPage } from './pages/participants/NewParticipant';
import { ParticipantPage } from './pages/participants/Participant';
import { ParticipantsPage } from './pages/participants/Participants';
import { DocumentsPage } from './pages/documents/Documents';
import { StaffDocumentsPage } from './pages/staff/Documents';
import { ReviewsPage } from './pages/staff/Reviews';
import { NewOrganisationPage, OrganisationDetailPage, OrganisationsPage } from './pages/staff/Organisations';
import { ReconciliationPage } from './pages/reconciliations/Reconciliation';
import { ReconciliationsPage } from './pages/reconciliations/Reconciliations';
import { StaffReconciliationsPage } from './pages/reconciliations/StaffReconciliations';

/**
 * public: only when signed out (signed-in users go home);
 * private: only when signed in (others log in first and come back);
 * any: both.
 */
export type Access = 'public' | 'private' | 'any';

export interface RouteContext {
  me: Me | null;
  params: Record<string, string>;
}

export interface RouteDef {
  path: string;
  access: Access;
  /** 'public': always the light frame of the login pages. */
  shell?: 'public';
  render: (ctx: RouteContext) => JSX.Element;
}

const placeholders: RouteDef[] = NAV_ENTRIES.filter((e) => !e.available).map((entry) => ({
  path: entry.path,
  access: 'private' as const,
  render: () => <PlaceholderPage entry={entry} />,
}));

export const ROUTES: readonly RouteDef[] = [
  { path: '/login', access: 'public', render: () => <LoginPage /> },
  { path: '/forgot-password', access: 'public', render: () => <ForgotPasswordPage /> },
  { path: '/forgot-username', access: 'public', render: () => <ForgotUsernamePage /> },
  { path: '/activate', access: 'any', shell: 'public', render: () => <ActivatePage /> },
  { path: '/reset-password', access: 'any', shell: 'public', render: () => <ResetPasswordPage /> },
  { path: '/unlock', access: 'any', shell: 'public', render: () => <UnlockPage /> },
  { path: '/service', access: 'any', render: ({ me }) => <ServicePage signedIn={me !== null} /> },
  { path: '/', access: 'private', render: ({ me }) => <HomePage me={me!} /> },
  { path: '/profile', access: 'private', render: ({ me }) => <ProfilePage me={me!} /> },
  { path: '/organisation', access: 'private', render: () => <OrganisationPage /> },
  { path: '/participants', access: 'private', render: ({ me }) => <ParticipantsPage me={me!} /> },
  { path: '/participants/new', access: 'private', render: () => <NewParticipantPage /> },
  { path: '/participants/:id', access: 'private', render: ({ me, params }) => <ParticipantPage me={me!} id={params.id!} /> },
  { path: '/changes', access: 'private', render: () => <ChangesPage /> },
  { path: '/batches', access: 'private', render: () => <BatchesPage /> },
  { path: '/batches/:id', access: 'private', render: () => <BatchesPage /> },
  { path: '/exports', access: 'private', render: () => <ExportsPage /> },
  { path: '/documents/financial', access: 'private', render: () => <DocumentsPage category="financial" /> },
  { path: '/documents/legal', access: 'private', render: ({ me }) => <DocumentsPage category="legal" me={me ?? undefined} /> },
  { path: '/staff/documents', access: 'private', render: () => <StaffDocumentsPage /> },
  { path: '/staff/reviews', access: 'private', render: () => <ReviewsPage /> },
  { path: '/users', access: 'private', render: ({ me }) => <UsersPage me={me!} /> },
  { path: '/users/new', access: 'private', render: ({ me }) => <UserFormPage me={me!} backPath="/users" /> },
  { path: '/users/:id', access: 'private', render: ({ me, params }) => <UserFormPage me={me!} userId={params.id!} backPath="/users" /> },
  { path: '/mandates', access: 'private', render: () => <MandatesPage /> },
  { path: '/api-tokens', access: 'private', render: ({ me }) => <ApiTokensPage me={me!} /> },
  { path: '/audit-events', access: 'private', render: ({ me }) => <AuditPage me={me!} /> },
  { path: '/schemes', access: 'private', render: () => <SchemesPage /> },
  { path: '/schemes/:id', access: 'private', render: ({ params }) => <SchemePage id={params.id!} /> },
  { path: '/staff/organisations', access: 'private', render: () => <OrganisationsPage /> },
  { path: '/staff/organisations/new', access: 'private', render: () => <NewOrganisationPage /> },
  { path: '/staff/organisations/:id', access: 'private', render: ({ params }) => <OrganisationDetailPage id={params.id!} /> },
  {
    path: '/staff/organisations/:org/users/new',
    access: 'private',
    render: ({ me, params }) => <UserFormPage me={me!} organisationId={params.org!} backPath={`/staff/organisations/${params.org!}`} />,
  },
  {
    path: '/staff/organisations/:org/users/:id',
    access: 'private',
    render: ({ me, params }) => (
      <UserFormPage me={me!} organisationId={params.org!} userId={params.id!} backPath={`/staff/organisations/${params.org!}`} />
    ),
  },
  { path: '/staff/schemes/:id', access: 'private', render: ({ params }) => <SchemePage id={params.id!} editable /> },
  { path: '/reconciliations', access: 'private', render: () => <ReconciliationsPage /> },
  { path: '/reconciliations/:id', access: 'private', render: ({ me, params }) => <ReconciliationPage me={me!} id={params.id!} /> },
  { path: '/staff/reconciliations', access: 'private', render: () => <StaffReconciliationsPage /> },
  { path: '/staff/reconciliations/:id', access: 'private', render: ({ me, params }) => <ReconciliationPage me={me!} id={params.id!} /> },
  ...placeholders,
];
