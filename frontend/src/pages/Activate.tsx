// Account activation from the invitation link: e-mail address → verification
// code (by e-mail or SMS) → username and password → done.
import { useReducer, useRef } from 'preact/hooks';
import { activationApi } from '../api/endpoints';
import { forgetToken, tokenFor } from '../auth/urlToken';
import { ErrorAlert, Notice } from '../components/Alert';
import { RadioGroup, SubmitButton, TextField } from '../components/Field';
import { Link } from '../components/Link';
import { TotpCodeField } from '../components/Mfa';
import { Page } from '../components/Page';
import {
  ACTIVATION_STEPS,
  activationReducer,
  initialActivation,
  validateActivationStep,
  type ActivationState,
  type ActivationValues,
} from '../forms/activation';
import { hasErrors, normaliseCode } from '../forms/errors';
import { focusFirstProblem } from '../forms/useForm';
import { t } from '../i18n';
import { StrengthMeter } from '../password/StrengthMeter';

function StepIndicator({ state }: { state: ActivationState }) {
  const index = (ACTIVATION_STEPS as readonly string[]).indexOf(state.step);
  if (index < 0) return null;
  return (
    <p class="step-indicator">
      {t('activation.stepOf', { n: index + 1, total: ACTIVATION_STEPS.length })}
    </p>
  );
}

export function ActivatePage() {
  const token = tokenFor('/activate');
  const [state, dispatch] = useReducer(activationReducer, token, (tk) => initialActivation(tk !== null));
  const formRef = useRef<HTMLFormElement>(null);
  const v = state.values;
  const edit = (field: keyof ActivationValues) => (value: string) => dispatch({ type: 'edit', field, value });

  const afterRender = (fn: () => void) => setTimeout(fn);
  const focusTitle = () => afterRender(() => document.getElementById('page-title')?.focus());

  const submit = async (e: Event) => {
    e.preventDefault();
    if (state.busy || !token) return;
    const invalid = validateActivationStep(state);
    if (hasErrors(invalid)) {
      dispatch({ type: 'invalid', errors: invalid });
      afterRender(() => focusFirstProblem(formRef.current));
      return;
    }
    if (state.step === 'code') {
      dispatch({ type: 'codeEntered' });
      focusTitle();
      return;
    }
    dispatch({ type: 'busy' });
    try {
      if (state.step === 'email') {
        await activationApi.sendCode(token, v.email.trim(), v.channel);
        dispatch({ type: 'codeSent' });
      } else if (state.step === 'credentials') {
        await activationApi.activate(token, normaliseCode(v.code), v.username.trim(), v.password);
        forgetToken('/activate');
        dispatch({ type: 'activated' });
      }
      focusTitle();
    } catch (err) {
      dispatch({ type: 'failed', error: err });
      afterRender(() => {
        if (formRef.current?.isConnected) focusFirstProblem(formRef.current);
        else document.getElementById('page-title')?.focus();
      });
    }
  };

  const resend = async () => {
    if (state.busy || !token) return;
    dispatch({ type: 'busy' });
    try {
      await activationApi.sendCode(token, v.email.trim(), v.channel);
      dispatch({ type: 'codeSent' });
    } catch (err) {
      dispatch({ type: 'failed', error: err });
    }
  };

  const back = (
    <button type="button" class="btn btn-secondary" onClick={() => { dispatch({ type: 'back' }); focusTitle(); }}>
      {t('common.back')}
    </button>
  );

  switch (state.step) {
    case 'no_token':
      return (
        <Page title={t('activation.title')}>
          <p>{t('activation.noToken')}</p>
          <p>{t('activation.askAdmin')}</p>
          <p>
            <Link href="/login">{t('common.toLogin')}</Link>
          </p>
        </Page>
      );

    case 'link_invalid':
      return (
        <Page title={t('activation.title')}>
          <ErrorAlert messages={state.errors.general.length ? state.errors.general : [t('activation.linkInvalid')]} />
          <p>{t('activation.askAdmin')}</p>
          <p>
            <Link href="/login">{t('common.toLogin')}</Link>
          </p>
        </Page>
      );

    case 'done':
      return (
        <Page title={t('activation.doneTitle')}>
          <Notice>{t('activation.done')}</Notice>
          <p>{t('activation.doneNext')}</p>
          <p>
            <Link href="/login" class="btn btn-primary">
              {t('common.toLogin')}
            </Link>
          </p>
        </Page>
      );

    case 'email':
      return (
        <Page title={t('activation.title')} intro={<p>{t('activation.emailIntro')}</p>}>
          <StepIndicator state={state} />
          <form ref={formRef} onSubmit={submit} noValidate>
            <ErrorAlert messages={state.errors.general} />
            <TextField
              name="email"
              type="email"
              label={t('activation.email')}
              value={v.email}
              onValue={edit('email')}
              error={state.errors.fields.email}
              autocomplete="email"
              required
            />
            <RadioGroup
              name="channel"
              legend={t('activation.channel')}
              value={v.channel}
              onValue={edit('channel')}
              error={state.errors.fields.channel}
              options={[
                { value: 'email', label: t('activation.channelEmail') },
                { value: 'sms', label: t('activation.channelSms') },
              ]}
            />
            <SubmitButton busy={state.busy} busyLabel={t('common.busy')}>
              {t('activation.sendCode')}
            </SubmitButton>
          </form>
        </Page>
      );

    case 'code':
      return (
        <Page
          title={t('activation.codeTitle')}
          intro={<p>{state.codeSentTo ? t('activation.codeSentEmail', { email: state.codeSentTo }) : t('activation.codeSentSms')}</p>}
        >
          <StepIndicator state={state} />
          <Notice>{state.codeResent ? t('activation.codeResent') : null}</Notice>
          <form ref={formRef} onSubmit={submit} noValidate>
            <ErrorAlert messages={state.errors.general} />
            <TotpCodeField
              name="code"
              label={t('activation.code')}
              value={v.code}
              onValue={edit('code')}
              error={state.errors.fields.code}
              required
            />
            <div class="button-row">
              <SubmitButton busy={state.busy} busyLabel={t('common.busy')}>
                {t('common.next')}
              </SubmitButton>
              {back}
            </div>
          </form>
          <p class="form-links">
            <button type="button" class="btn-link" onClick={resend}>
              {t('activation.resend')}
            </button>
          </p>
        </Page>
      );

    case 'credentials':
      return (
        <Page title={t('activation.credentialsTitle')} intro={<p>{t('activation.credentialsIntro')}</p>}>
          <StepIndicator state={state} />
          <form ref={formRef} onSubmit={submit} noValidate>
            <ErrorAlert messages={state.errors.general} />
            <TextField
              name="username"
              label={t('login.username')}
              hint={t('activation.usernameHint')}
              value={v.username}
              onValue={edit('username')}
              error={state.errors.fields.username}
              autocomplete="username"
              autoCapitalize="none"
              spellcheck={false}
              required
            />
            <TextField
              name="password"
              type="password"
              label={t('login.password')}
              hint={t('password.hint')}
              value={v.password}
              onValue={edit('password')}
              error={state.errors.fields.password}
              autocomplete="new-password"
              required
              after={<StrengthMeter password={v.password} userInputs={[v.username, v.email]} />}
            />
            <TextField
              name="passwordRepeat"
              type="password"
              label={t('password.repeat')}
              value={v.passwordRepeat}
              onValue={edit('passwordRepeat')}
              error={state.errors.fields.passwordRepeat}
              autocomplete="new-password"
              required
            />
            <div class="button-row">
              <SubmitButton busy={state.busy} busyLabel={t('common.busy')}>
                {t('activation.submit')}
              </SubmitButton>
              {back}
            </div>
          </form>
        </Page>
      );
  }
}
