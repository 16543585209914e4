// The mailed unlock link (/unlock?token=…): after failed sign-in attempts the
// account waits before each new try; one button lifts that wait. It does not
// sign in.
import { authApi } from '../api/endpoints';
import { ErrorAlert } from '../components/Alert';
import { SubmitButton } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';
import { MailedLinkDone, MailedLinkInvalid, useMailedLink } from '../lib/mailedLink';

export function UnlockPage() {
  const link = useMailedLink('/unlock');
  const f = useForm({});

  if (link.state === 'done') return <MailedLinkDone title={t('unlock.title')} message={t('unlock.done')} />;
  if (link.state === 'invalid') {
    return (
      <MailedLinkInvalid title={t('unlock.title')} message={link.invalidMessage} fallback={t('unlock.linkInvalid')}>
        <p>{t('unlock.linkInvalidNext')}</p>
        <p>
          <Link href="/login">{t('common.toLogin')}</Link>
        </p>
      </MailedLinkInvalid>
    );
  }
  return (
    <Page title={t('unlock.title')} intro={<p>{t('unlock.intro')}</p>}>
      <form
        ref={f.formRef}
        noValidate
        onSubmit={f.submit(
          () => [],
          () => link.send((token) => authApi.unlock(token)),
        )}
      >
        <ErrorAlert messages={f.errors.general} />
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('unlock.submit')}
        </SubmitButton>
      </form>
      <p class="form-links">
        <Link href="/forgot-password">{t('login.forgotPassword')}</Link>
      </p>
    </Page>
  );
}
