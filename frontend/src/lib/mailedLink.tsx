// What the pages behind a mailed link share (/unlock?token=…,
// /reset-password?token=…): the token taken from the address, the form /
// done / invalid states, a call that ends on the invalid screen when the API
// refuses the token, and the screens that end such a page or a request for
// a mail (forgotten password or username).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { forgetToken, tokenFor, type TokenPath } from '../auth/urlToken';
import { ErrorAlert, Notice } from '../components/Alert';
import { SubmitButton } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { t } from '../i18n';

export type MailedLinkState = 'form' | 'done' | 'invalid';

/**
 * The token of the link at path and where the page stands. `send` runs the
 * call with the token: done when it succeeds; a token the API refuses
 * (token_invalid) is forgotten and shows the invalid screen with the API's
 * detail; any other failure is thrown on to the form.
 */
export function useMailedLink(path: TokenPath) {
  const token = tokenFor(path);
  const [state, setState] = useState<MailedLinkState>(token ? 'form' : 'invalid');
  const [invalidMessage, setInvalidMessage] = useState<string | null>(null);
  const send = async (call: (token: string) => Promise<unknown>) => {
    try {
      await call(token ?? '');
    } catch (e) {
      if (e instanceof ApiError && e.code === 'token_invalid') {
        forgetToken(path);
        setInvalidMessage(e.problem.detail ?? null);
        setState('invalid');
        return;
      }
      throw e;
    }
    forgetToken(path);
    setState('done');
  };
  // Once sent the token is forgotten: done stays done.
  const shown: MailedLinkState = state === 'form' && !token ? 'invalid' : state;
  return { token, state: shown, invalidMessage, send };
}

/** The page after the link did its work: a notice and the way to sign in. */
export function MailedLinkDone({ title, message }: { title: string; message: string }) {
  return (
    <Page title={title}>
      <Notice>{message}</Notice>
      <p>
        <Link href="/login" class="btn btn-primary">
          {t('common.toLogin')}
        </Link>
      </p>
    </Page>
  );
}

/** The page for a link that is missing, used or expired: the API's words or
 * the fallback, then what the user can do next. */
export function MailedLinkInvalid(props: { title: string; message: string | null; fallback: string; children: ComponentChildren }) {
  return (
    <Page title={props.title}>
      <ErrorAlert messages={[props.message ?? props.fallback]} />
      {props.children}
    </Page>
  );
}

/** The page after a mail was requested: the notice, what follows, the way back to sign in. */
export function MailSent({ title, message, next }: { title: string; message: string; next?: string }) {
  return (
    <Page title={title}>
      <Notice>{message}</Notice>
      {next && <p>{next}</p>}
      <p>
        <Link href="/login">{t('common.toLogin')}</Link>
      </p>
    </Page>
  );
}

/** The submit button of a mail request, with cancel back to sign in. */
export function MailRequestButtons({ busy, label }: { busy: boolean; label: string }) {
  return (
    <div class="button-row">
      <SubmitButton busy={busy} busyLabel={t('common.busy')}>
        {label}
      </SubmitButton>
      <Link href="/login" class="btn btn-secondary">
        {t('common.cancel')}
      </Link>
    </div>
  );
}
