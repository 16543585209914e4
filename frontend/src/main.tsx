// Entry point: scrub invitation/reset tokens from the address bar, apply the
// stored language and theme, resume a session if there is one, render.
import './styles/app.css';
import { render } from 'preact';
import { captureUrlToken } from './auth/urlToken';
import { startSession } from './auth/session';
import { applyPrefs, prefs } from './prefs';
import { startRouter } from './router';
import { App } from './app';

captureUrlToken();
applyPrefs(prefs.get());
startRouter();
void startSession();
render(<App />, document.getElementById('app')!);
