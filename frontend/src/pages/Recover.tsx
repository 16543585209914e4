// Forgotten password (request a reset link), the reset itself from the mailed
// link, and the username reminder.
import { useState } from 'preact/hooks';
import { authApi } from '../api/endpoints';
import { ErrorAlert } from '../components/Alert';
import { SubmitButton, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { isEmail } from '../forms/errors';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';
import { MailedLinkDone, MailedLinkInvalid, MailRequestButtons, MailSent, useMailedLink } from '../lib/mailedLink';
import { StrengthMeter } from '../password/StrengthMeter';

export function ForgotPasswordPage() {
  const [sent, setSent] = useState(false);
  const f = useForm({ username: '', email: '' });
  if (sent) return <MailSent title={t('forgotPassword.title')} message={t('forgotPassword.sent')} next={t('forgotPassword.sentNext')} />;
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
        <MailRequestButtons busy={f.busy} label={t('forgotPassword.submit')} />
      </form>
      <p class="form-links">
        <Link href="/forgot-username">{t('login.forgotUsername')}</Link>
      </p>
    </Page>
  );
}

export function ResetPasswordPage() {
  const link = useMailedLink('/reset-password');
  const f = useForm({ password: '', passwordRepeat: '' });

  if (link.state === 'done') return <MailedLinkDone title={t('resetPassword.title')} message={t('resetPassword.done')} />;
  if (link.state === 'invalid') {
    return (
      <MailedLinkInvalid title={t('resetPassword.title')} message={link.invalidMessage} fallback={t('resetPassword.linkInvalid')}>
        <p>
          <Link href="/forgot-password">{t('resetPassword.requestNew')}</Link>
        </p>
      </MailedLinkInvalid>
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
          (v) => link.send((token) => authApi.confirmPasswordReset(token, v.password)),
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
  if (sent) return <MailSent title={t('forgotUsername.title')} message={t('forgotUsername.sent')} />;
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
        <MailRequestButtons busy={f.busy} label={t('forgotUsername.submit')} />
      </form>
    </Page>
  );
}
