// Forgotten password (request a reset link), the reset itself from the mailed
// link, and the username reminder.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { authApi } from '../api/endpoints';
import { forgetToken, tokenFor } from '../auth/urlToken';
import { ErrorAlert, Notice } from '../components/Alert';
import { SubmitButton, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { isEmail } from '../forms/errors';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';
import { StrengthMeter } from '../password/StrengthMeter';

export function ForgotPasswordPage() {
  const [sent, setSent] = useState(false);
  const f = useForm({ username: '', email: '' });
  if (sent) {
    return (
      <Page title={t('forgotPassword.title')}>
        <Notice>{t('forgotPassword.sent')}</Notice>
        <p>{t('forgotPassword.sentNext')}</p>
        <p>
          <Link href="/login">{t('common.toLogin')}</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('forgotPassword.title')} intro={<p>{t('forgotPassword.intro')}</p>}>
      <form
        ref={f.formRef}
        noValidate
        onSubmit={f.submit(
          (v) => [
            ['username', v.username.trim() === '', t('validation.required')],
            ['email', v.email.trim() === '', t('validation.required')],
            ['email', !isEmail(v.email), t('validation.email')],
          ],
          async (v) => {
            await authApi.requestPasswordReset(v.username.trim(), v.email.trim());
            setSent(true);
          },
        )}
      >
        <ErrorAlert messages={f.errors.general} />
        <TextField {...f.field('username')} label={t('login.username')} autocomplete="username" autoCapitalize="none" spellcheck={false} required />
        <TextField {...f.field('email')} type="email" label={t('common.email')} autocomplete="email" required />
        <div class="button-row">
          <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
            {t('forgotPassword.submit')}
          </SubmitButton>
          <Link href="/login" class="btn btn-secondary">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
      <p class="form-links">
        <Link href="/forgot-username">{t('login.forgotUsername')}</Link>
      </p>
    </Page>
  );
}

export function ResetPasswordPage() {
  const token = tokenFor('/reset-password');
  const [state, setState] = useState<'form' | 'done' | 'invalid'>(token ? 'form' : 'invalid');
  const [invalidMessage, setInvalidMessage] = useState<string | null>(null);
  const f = useForm({ password: '', passwordRepeat: '' });

  if (state === 'done') {
    return (
      <Page title={t('resetPassword.title')}>
        <Notice>{t('resetPassword.done')}</Notice>
        <p>
          <Link href="/login" class="btn btn-primary">
            {t('common.toLogin')}
          </Link>
        </p>
      </Page>
    );
  }
  if (state === 'invalid' || !token) {
    return (
      <Page title={t('resetPassword.title')}>
        <ErrorAlert messages={[invalidMessage ?? t('resetPassword.linkInvalid')]} />
        <p>
          <Link href="/forgot-password">{t('resetPassword.requestNew')}</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('resetPassword.title')} intro={<p>{t('resetPassword.intro')}</p>}>
      <form
        ref={f.formRef}
        noValidate
        onSubmit={f.submit(
          (v) => [
            ['password', v.password === '', t('validation.required')],
            ['passwordRepeat', v.passwordRepeat !== v.password, t('validation.passwordsDiffer')],
          ],
          async (v) => {
            try {
              await authApi.confirmPasswordReset(token, v.password);
            } catch (e) {
              if (e instanceof ApiError && e.code === 'token_invalid') {
                forgetToken('/reset-password');
                setInvalidMessage(e.problem.detail ?? null);
                setState('invalid');
                return;
              }
              throw e;
            }
            forgetToken('/reset-password');
            setState('done');
          },
        )}
      >
        <ErrorAlert messages={f.errors.general} />
        <TextField
          {...f.field('password')}
          type="password"
          label={t('password.new')}
          hint={t('password.hint')}
          autocomplete="new-password"
          required
          after={<StrengthMeter password={f.values.password} />}
        />
        <TextField {...f.field('passwordRepeat')} type="password" label={t('password.repeat')} autocomplete="new-password" required />
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('resetPassword.submit')}
        </SubmitButton>
      </form>
    </Page>
  );
}

export function ForgotUsernamePage() {
  const [sent, setSent] = useState(false);
  const f = useForm({ email: '' });
  if (sent) {
    return (
      <Page title={t('forgotUsername.title')}>
        <Notice>{t('forgotUsername.sent')}</Notice>
        <p>
          <Link href="/login">{t('common.toLogin')}</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('forgotUsername.title')} intro={<p>{t('forgotUsername.intro')}</p>}>
      <form
        ref={f.formRef}
        noValidate
        onSubmit={f.submit(
          (v) => [
            ['email', v.email.trim() === '', t('validation.required')],
            ['email', !isEmail(v.email), t('validation.email')],
          ],
          async (v) => {
            await authApi.usernameReminder(v.email.trim());
            setSent(true);
          },
        )}
      >
        <ErrorAlert messages={f.errors.general} />
        <TextField {...f.field('email')} type="email" label={t('common.email')} autocomplete="email" required />
        <div class="button-row">
          <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
            {t('forgotUsername.submit')}
          </SubmitButton>
          <Link href="/login" class="btn btn-secondary">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
    </Page>
  );
}
