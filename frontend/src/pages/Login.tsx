// Login: username and password, then the second factor — a code from the
// authenticator, first-time enrolment (QR code + secret), or a recovery code
// when the phone is lost — and, after enrolment, the new recovery codes once.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { authApi } from '../api/endpoints';
import type { LoginAnswer, MfaAnswer, TotpEnrolment } from '../api/types';
import { clearLoginNotice, completeLogin, session } from '../auth/session';
import { ErrorAlert, Notice } from '../components/Alert';
import { SubmitButton, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { EnrolmentInstructions, RecoveryCodes, TotpCodeField } from '../components/Mfa';
import { Page } from '../components/Page';
import { isSixDigitCode, normaliseCode } from '../forms/errors';
import { useForm } from '../forms/useForm';
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
  const [restartNotice, setRestartNotice] = useState(false);
  const f = useForm({ username: '', password: '', code: '', recovery_code: '' });

  const goTo = (next: LoginPhase) => {
    f.reset((v) => ({ ...v, code: '' }));
    setPhase(next);
    // Focus the first field of the new step (the title where there is none).
    setTimeout(() => {
      const input = next.kind === 'codes' ? null : document.querySelector<HTMLElement>('main form input');
      (input ?? document.getElementById('page-title'))?.focus();
    });
  };

  const finish = async (tokens: MfaAnswer) => {
    await completeLogin(tokens);
  };

  const restart = () => {
    setRestartNotice(true);
    f.setValues((v) => ({ ...v, password: '' }));
    goTo({ kind: 'credentials' });
  };

  /** A second-factor step whose attempt expired starts again at the password. */
  const restartIfExpired = (err: unknown) => {
    if (!mfaAttemptExpired(err)) return undefined;
    restart();
    return null;
  };

  const submitCredentials = f.submit(
    (v) => [
      ['username', v.username.trim() === '', t('validation.required')],
      ['password', v.password === '', t('validation.required')],
    ],
    async (v) => {
      const answer = await authApi.login(v.username.trim(), v.password);
      clearLoginNotice();
      setRestartNotice(false);
      f.setValues((old) => ({ ...old, password: '' }));
      goTo(phaseAfterLogin(answer));
    },
    { fields: ['username', 'password'] },
  );

  const submitCode = (mfaToken: string) =>
    f.submit(
      (v) => [['code', !isSixDigitCode(v.code), t('validation.code')]],
      async (v) => {
        const tokens = await authApi.mfa(mfaToken, normaliseCode(v.code));
        if (tokens.recovery_codes?.length) goTo({ kind: 'codes', codes: tokens.recovery_codes, tokens });
        else await finish(tokens);
      },
      { fields: ['code'], onError: restartIfExpired },
    );

  const submitRecovery = (mfaToken: string) =>
    f.submit(
      (v) => [['recovery_code', v.recovery_code.trim() === '', t('validation.required')]],
      async (v) => {
        const answer = await authApi.recoveryCode(mfaToken, v.recovery_code.trim());
        f.setValues((old) => ({ ...old, recovery_code: '' }));
        goTo(phaseAfterLogin(answer, true));
      },
      { fields: ['recovery_code'], onError: restartIfExpired },
    );

  const codeField = <TotpCodeField {...f.field('code')} label={t('mfa.code')} hint={t('mfa.codeHint')} required />;

  switch (phase.kind) {
    case 'credentials':
      return (
        <Page title={t('login.title')}>
          <Notice kind="info">
            {notice === 'expired' ? t('login.expired') : notice === 'loggedOut' ? t('login.loggedOut') : restartNotice ? t('login.restart') : null}
          </Notice>
          <form ref={f.formRef} onSubmit={submitCredentials} noValidate>
            <ErrorAlert messages={f.errors.general} />
            <TextField
              {...f.field('username')}
              label={t('login.username')}
              autocomplete="username"
              autoCapitalize="none"
              spellcheck={false}
              required
            />
            <TextField
              {...f.field('password')}
              type="password"
              label={t('login.password')}
              autocomplete="current-password"
              required
            />
            <p class="form-links">
              <Link href="/forgot-username">{t('login.forgotUsername')}</Link>
              <Link href="/forgot-password">{t('login.forgotPassword')}</Link>
            </p>
            <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
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
          <form ref={f.formRef} onSubmit={submitCode(phase.mfaToken)} noValidate>
            <ErrorAlert messages={f.errors.general} />
            {codeField}
            <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
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
          <form ref={f.formRef} onSubmit={submitRecovery(phase.mfaToken)} noValidate>
            <ErrorAlert messages={f.errors.general} />
            <TextField
              {...f.field('recovery_code')}
              label={t('recovery.code')}
              autocomplete="off"
              autoCapitalize="none"
              spellcheck={false}
              class="input-code"
              required
            />
            <div class="button-row">
              <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
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
          <form ref={f.formRef} onSubmit={submitCode(phase.mfaToken)} noValidate>
            <ErrorAlert messages={f.errors.general} />
            {codeField}
            <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
              {t('mfa.enroll.submit')}
            </SubmitButton>
          </form>
        </Page>
      );

    case 'codes':
      return (
        <Page title={t('codes.title')} wide>
          <ErrorAlert messages={f.errors.general} />
          <RecoveryCodes
            codes={phase.codes}
            username={f.values.username.trim() || null}
            doneLabel={t('codes.continue')}
            onDone={() => void f.run(() => finish(phase.tokens), { fields: [] })}
          />
        </Page>
      );
  }
}
