// The application: picks the route, guards it by session and rights, and
// frames it with the right shell.
import { useEffect, useRef } from 'preact/hooks';
import { rememberReturnTo, session } from './auth/session';
import { AppShell, PublicShell } from './components/Shell';
import { PAGE_TITLE_ID } from './components/Page';
import { useStore } from './lib/store';
import { mayOpen } from './nav/menu';
import { NoAccessPage, NotFoundPage, Loading } from './pages/Simple';
import { prefs } from './prefs';
import { currentPath, matchRoute, navigate } from './router';
import { ROUTES } from './routes';

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** After navigation, focus moves to the new page's heading. */
function useFocusOnNavigate(path: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = document.getElementById(PAGE_TITLE_ID);
    h1?.focus({ preventScroll: true });
  }, [path]);
}

export function App() {
  const s = useStore(session);
  const path = useStore(currentPath);
  useStore(prefs); // language and theme changes re-render everything
  useFocusOnNavigate(path);

  if (s.status === 'starting') return <Loading />;

  const match = matchRoute(ROUTES, path);
  const me = s.status === 'authenticated' ? s.me : null;

  if (!me) {
    if (!match || match.route.access === 'private') {
      rememberReturnTo(path);
      return <Redirect to="/login" />;
    }
    return <PublicShell>{match.route.render({ me: null, params: match.params })}</PublicShell>;
  }

  if (match?.route.access === 'public') return <Redirect to="/" />;
  if (match?.route.shell === 'public') {
    return <PublicShell>{match.route.render({ me, params: match.params })}</PublicShell>;
  }
  const content = !match ? <NotFoundPage /> : !mayOpen(path, me) ? <NoAccessPage /> : match.route.render({ me, params: match.params });
  return <AppShell me={me}>{content}</AppShell>;
}
