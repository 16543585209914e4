// The mailed unlock link (/unlock?token=…): after failed sign-in attempts the
// account waits before each new try; one button lifts that wait. It does not
// sign in.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { authApi } from '../api/endpoints';
import { forgetToken, tokenFor } from '../auth/urlToken';
import { ErrorAlert, Notice } from '../components/Alert';
import { SubmitButton } from '../components/Field';
import { Link } from '../components/Link';
import { Page } from '../components/Page';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';

export function UnlockPage() {
  const token = tokenFor('/unlock');
  const [state, setState] = useState<'form' | 'done' | 'invalid'>(token ? 'form' : 'invalid');
  const [invalidMessage, setInvalidMessage] = useState<string | null>(null);
  const f = useForm({});

  if (state === 'done') {
    return (
      <Page title={t('unlock.title')}>
        <Notice>{t('unlock.done')}</Notice>
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
      <Page title={t('unlock.title')}>
        <ErrorAlert messages={[invalidMessage ?? t('unlock.linkInvalid')]} />
        <p>{t('unlock.linkInvalidNext')}</p>
        <p>
          <Link href="/login">{t('common.toLogin')}</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('unlock.title')} intro={<p>{t('unlock.intro')}</p>}>
      <form
        ref={f.formRef}
        noValidate
        onSubmit={f.submit(
          () => [],
          async () => {
            try {
              await authApi.unlock(token);
            } catch (e) {
              if (e instanceof ApiError && e.code === 'token_invalid') {
                forgetToken('/unlock');
                setInvalidMessage(e.problem.detail ?? null);
                setState('invalid');
                return;
              }
              throw e;
            }
            forgetToken('/unlock');
            setState('done');
          },
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
