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
import { ServicePage } from './pages/Service';
import { PlaceholderPage } from './pages/Simple';

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
  { path: '/service', access: 'any', render: ({ me }) => <ServicePage signedIn={me !== null} /> },
  { path: '/', access: 'private', render: ({ me }) => <HomePage me={me!} /> },
  { path: '/profile', access: 'private', render: ({ me }) => <ProfilePage me={me!} /> },
  { path: '/organisation', access: 'private', render: () => <OrganisationPage /> },
  ...placeholders,
];
