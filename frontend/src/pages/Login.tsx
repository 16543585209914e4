// Login: username and password, then the second factor — a code from the
// authenticator, first-time enrolment (QR code + secret), or a recovery code
// when the phone is lost — and, after enrolment, the new recovery codes once.
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { authApi } from '../api/endpoints';
import type { LoginAnswer, MfaAnswer, TotpEnrolment } from '../api/types';
import { clearLoginNotice, completeLogin, session } from '../auth/session';
import { ErrorAlert, Notice } from '../components/Alert';
import { focusInvalid, SubmitButton, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { EnrolmentInstructions, RecoveryCodes, TotpCodeField } from '../components/Mfa';
import { Page } from '../components/Page';
import { isSixDigitCode, NO_ERRORS, normaliseCode, problemToFormErrors, runChecks, type FormErrors } from '../forms/errors';
import { t } from '../i18n';
import { useStore } from '../lib/store';

export type LoginPhase =
  | { kind: 'credentials' }
  | { kind: 'totp'; mfaToken: string }
  | { kind: 'recovery'; mfaToken: string }
  | { kind: 'enroll'; mfaToken: string; totp: TotpEnrolment; afterRecovery: boolean }
  | { kind: 'codes'; codes: string[]; tokens: MfaAnswer };

/** What the login answer (or a recovery-code answer) leads to. */
export function phaseAfterLogin(answer: LoginAnswer, afterRecovery = false): LoginPhase {
  return answer.mfa === 'enroll'
    ? { kind: 'enroll', mfaToken: answer.mfa_token, totp: answer.totp, afterRecovery }
    : { kind: 'totp', mfaToken: answer.mfa_token };
}

/** A 401 other than a wrong code means the login attempt itself expired: start again. */
export function mfaAttemptExpired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code !== 'mfa_invalid';
}

export function LoginPage() {
  const { notice } = useStore(session);
  const [phase, setPhase] = useState<LoginPhase>({ kind: 'credentials' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [restartNotice, setRestartNotice] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const show = (e: FormErrors) => {
    setErrors(e);
    setTimeout(() => focusInvalid(formRef.current));
  };

  const goTo = (next: LoginPhase) => {
    setErrors(NO_ERRORS);
    setCode('');
    setPhase(next);
    // Focus the first field of the new step (the title where there is none).
    setTimeout(() => {
      const input = next.kind === 'codes' ? null : document.querySelector<HTMLElement>('main form input');
      (input ?? document.getElementById('page-title'))?.focus();
    });
  };

  const run = async (work: () => Promise<void>, fieldNames: string[], onError?: (e: unknown) => boolean) => {
    if (busy) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await work();
    } catch (e) {
      if (!onError?.(e)) show(problemToFormErrors(e, fieldNames));
    } finally {
      setBusy(false);
    }
  };

  const finish = async (tokens: MfaAnswer) => {
    await completeLogin(tokens);
  };

  const restart = () => {
    setRestartNotice(true);
    setPassword('');
    goTo({ kind: 'credentials' });
  };

  const submitCredentials = (e: Event) => {
    e.preventDefault();
    const fields = ['username', 'password'];
    const checks = runChecks([
      ['username', username.trim() === '', t('validation.required')],
      ['password', password === '', t('validation.required')],
    ]);
    if (Object.keys(checks.fields).length) return show(checks);
    void run(async () => {
      const answer = await authApi.login(username.trim(), password);
      clearLoginNotice();
      setRestartNotice(false);
      setPassword('');
      goTo(phaseAfterLogin(answer));
    }, fields);
  };

  const submitCode = (e: Event, mfaToken: string) => {
    e.preventDefault();
    if (!isSixDigitCode(code)) return show(runChecks([['code', true, t('validation.code')]]));
    void run(
      async () => {
        const tokens = await authApi.mfa(mfaToken, normaliseCode(code));
        if (tokens.recovery_codes?.length) goTo({ kind: 'codes', codes: tokens.recovery_codes, tokens });
        else await finish(tokens);
      },
      ['code'],
      (err) => {
        if (!mfaAttemptExpired(err)) return false;
        restart();
        return true;
      },
    );
  };

  const submitRecovery = (e: Event, mfaToken: string) => {
    e.preventDefault();
    if (recoveryCode.trim() === '')
      return show(runChecks([['recovery_code', true, t('validation.required')]]));
    void run(
      async () => {
        const answer = await authApi.recoveryCode(mfaToken, recoveryCode.trim());
        setRecoveryCode('');
        goTo(phaseAfterLogin(answer, true));
      },
      ['recovery_code'],
      (err) => {
        if (!mfaAttemptExpired(err)) return false;
        restart();
        return true;
      },
    );
  };

  const codeField = (
    <TotpCodeField
      name="code"
      label={t('mfa.code')}
      hint={t('mfa.codeHint')}
      value={code}
      onValue={setCode}
      error={errors.fields.code}
      required
    />
  );

  switch (phase.kind) {
    case 'credentials':
      return (
        <Page title={t('login.title')}>
          <Notice kind="info">
            {notice === 'expired' ? t('login.expired') : notice === 'loggedOut' ? t('login.loggedOut') : restartNotice ? t('login.restart') : null}
          </Notice>
          <form ref={formRef} onSubmit={submitCredentials} noValidate>
            <ErrorAlert messages={errors.general} />
            <TextField
              name="username"
              label={t('login.username')}
              value={username}
              onValue={setUsername}
              error={errors.fields.username}
              autocomplete="username"
              autoCapitalize="none"
              spellcheck={false}
              required
            />
            <TextField
              name="password"
              type="password"
              label={t('login.password')}
              value={password}
              onValue={setPassword}
              error={errors.fields.password}
              autocomplete="current-password"
              required
            />
            <p class="form-links">
              <Link href="/forgot-username">{t('login.forgotUsername')}</Link>
              <Link href="/forgot-password">{t('login.forgotPassword')}</Link>
            </p>
            <SubmitButton busy={busy} busyLabel={t('common.busy')}>
              {t('login.submit')}
            </SubmitButton>
          </form>
          <p class="first-visit">
            <Link href="/activate">{t('login.firstVisit')}</Link>
          </p>
        </Page>
      );

    case 'totp':
      return (
        <Page title={t('mfa.title')} intro={<p>{t('mfa.intro')}</p>}>
          <form ref={formRef} onSubmit={(e) => submitCode(e, phase.mfaToken)} noValidate>
            <ErrorAlert messages={errors.general} />
            {codeField}
            <SubmitButton busy={busy} busyLabel={t('common.busy')}>
              {t('mfa.submit')}
            </SubmitButton>
          </form>
          <p class="form-links">
            <a
              href="#recovery"
              onClick={(e) => {
                e.preventDefault();
                goTo({ kind: 'recovery', mfaToken: phase.mfaToken });
              }}
            >
              {t('mfa.reset')}
            </a>
          </p>
        </Page>
      );

    case 'recovery':
      return (
        <Page title={t('recovery.title')} intro={<p>{t('recovery.intro')}</p>}>
          <form ref={formRef} onSubmit={(e) => submitRecovery(e, phase.mfaToken)} noValidate>
            <ErrorAlert messages={errors.general} />
            <TextField
              name="recovery_code"
              label={t('recovery.code')}
              value={recoveryCode}
              onValue={setRecoveryCode}
              error={errors.fields.recovery_code}
              autocomplete="off"
              autoCapitalize="none"
              spellcheck={false}
              class="input-code"
              required
            />
            <div class="button-row">
              <SubmitButton busy={busy} busyLabel={t('common.busy')}>
                {t('recovery.submit')}
              </SubmitButton>
              <button type="button" class="btn btn-secondary" onClick={() => goTo({ kind: 'totp', mfaToken: phase.mfaToken })}>
                {t('common.back')}
              </button>
            </div>
          </form>
          <p class="hint">{t('recovery.noCodes')}</p>
        </Page>
      );

    case 'enroll':
      return (
        <Page title={t('mfa.enroll.title')} wide intro={<p>{phase.afterRecovery ? t('mfa.enroll.afterRecovery') : t('mfa.enroll.intro')}</p>}>
          <EnrolmentInstructions totp={phase.totp} />
          <form ref={formRef} onSubmit={(e) => submitCode(e, phase.mfaToken)} noValidate>
            <ErrorAlert messages={errors.general} />
            {codeField}
            <SubmitButton busy={busy} busyLabel={t('common.busy')}>
              {t('mfa.enroll.submit')}
            </SubmitButton>
          </form>
        </Page>
      );

    case 'codes':
      return (
        <Page title={t('codes.title')} wide>
          <ErrorAlert messages={errors.general} />
          <RecoveryCodes
            codes={phase.codes}
            username={username.trim() || null}
            doneLabel={t('codes.continue')}
            onDone={() => void run(() => finish(phase.tokens), [])}
          />
        </Page>
      );
  }
}
