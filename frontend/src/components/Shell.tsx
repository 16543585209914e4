// The frame around every page: header (organisation, language, theme,
// profile, logout, menu), main region and footer; a lighter one before login.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { config } from '../config';
import { t } from '../i18n';
import type { Me } from '../api/types';
import { logout } from '../auth/session';
import { navigationFor } from '../nav/menu';
import { chooseLanguage, chooseTheme, prefs } from '../prefs';
import { currentPath } from '../router';
import { useStore } from '../lib/store';
import { Icon } from './Icon';
import { Link } from './Link';

function LanguageSwitch() {
  const { lang } = useStore(prefs);
  return (
    <div class="lang-switch" role="group" aria-label={t('header.language')}>
      <Icon name="globe" />
      <button type="button" class="toggle" aria-pressed={lang === 'nl'} onClick={() => chooseLanguage('nl')} lang="nl">
        NL<span class="sr-only"> – {t('lang.nl')}</span>
      </button>
      <button type="button" class="toggle" aria-pressed={lang === 'en'} onClick={() => chooseLanguage('en')} lang="en">
        EN<span class="sr-only"> – {t('lang.en')}</span>
      </button>
    </div>
  );
}

function ThemeToggle() {
  const { theme } = useStore(prefs);
  const dark = theme === 'dark';
  return (
    <button type="button" class="toggle tool" aria-pressed={dark} onClick={() => chooseTheme(dark ? 'light' : 'dark')}>
      <Icon name={dark ? 'moon' : 'sun'} />
      <span class="tool-label">{t('header.darkMode')}</span>
    </button>
  );
}

function Brand() {
  return (
    <Link href="/" class="brand">
      <svg class="brand-mark" aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
        <rect width="32" height="32" rx="6" />
        <path d="M9 22V10h5.5a4 4 0 0 1 0 8H12M18 22h5" />
      </svg>
      <span>{t('app.name')}</span>
    </Link>
  );
}

function MainMenu({ me }: { me: Me }) {
  const [open, setOpen] = useState(false);
  const path = useStore(currentPath);
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const entries = navigationFor(me).menu;

  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick);
    };
  }, [open]);

  return (
    <div class="main-menu" ref={ref}>
      <button
        ref={buttonRef}
        type="button"
        class="tool menu-button"
        aria-expanded={open}
        aria-controls="main-menu-panel"
        onClick={() => setOpen(!open)}
      >
        <Icon name={open ? 'close' : 'menu'} />
        <span class="tool-label">{t('header.menu')}</span>
      </button>
      <nav id="main-menu-panel" class="menu-panel" hidden={!open} aria-label={t('header.menu')}>
        <ul>
          {entries.map((e) => (
            <li key={e.id}>
              <Link href={e.path} aria-current={path === e.path ? 'page' : undefined}>
                <Icon name={e.icon} />
                {t(e.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}

function Footer() {
  return (
    <footer class="app-footer">
      <div class="footer-inner">
        <Link href="/service">{t('nav.service')}</Link>
        <a href={`mailto:${config.feedbackEmail}?subject=${encodeURIComponent(t('feedback.subject'))}`}>{t('feedback.link')}</a>
      </div>
    </footer>
  );
}

function SkipLink() {
  return (
    <a class="skip-link" href="#main">
      {t('a11y.skipToContent')}
    </a>
  );
}

export function AppShell({ me, children }: { me: Me; children: ComponentChildren }) {
  const [busy, setBusy] = useState(false);
  return (
    <div class="shell">
      <SkipLink />
      <header class="app-header">
        <div class="header-inner">
          <MainMenu me={me} />
          <Brand />
          <p class="org-name" title={me.organisation.name}>
            <span class="sr-only">{t('header.organisation')}: </span>
            {me.organisation.name}
          </p>
          <div class="header-tools">
            <LanguageSwitch />
            <ThemeToggle />
            <Link href="/profile" class="tool">
              <Icon name="profile" />
              <span class="tool-label">{t('header.profile')}</span>
            </Link>
            <button
              type="button"
              class="tool"
              aria-busy={busy ? 'true' : undefined}
              onClick={async () => {
                if (busy) return;
                setBusy(true);
                await logout();
              }}
            >
              <Icon name="logout" />
              <span class="tool-label">{t('header.logout')}</span>
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <Footer />
    </div>
  );
}

export function PublicShell({ children }: { children: ComponentChildren }) {
  return (
    <div class="shell shell-public">
      <SkipLink />
      <header class="app-header">
        <div class="header-inner">
          <Brand />
          <div class="header-tools">
            <LanguageSwitch />
            <ThemeToggle />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <div class="card card-narrow">{children}</div>
      </main>
      <footer class="app-footer">
        <div class="footer-inner">
          <Link href="/service">{t('nav.service')}</Link>
        </div>
      </footer>
    </div>
  );
}
