// My profile: names and e-mail (a new address is confirmed with a mailed
// code), password change, recovery codes, and language/theme preferences.
import { useState } from 'preact/hooks';
import { setSessionTokens } from '../api/client';
import { meApi, type MePatch } from '../api/endpoints';
import type { Me } from '../api/types';
import { reloadMe, updateMe } from '../auth/session';
import { ErrorAlert, Notice } from '../components/Alert';
import { RadioGroup, SubmitButton, TextField } from '../components/Field';
import { RecoveryCodes, TotpCodeField } from '../components/Mfa';
import { Page } from '../components/Page';
import { isEmail, isSixDigitCode, normaliseCode } from '../forms/errors';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';
import { useStore } from '../lib/store';
import { StrengthMeter } from '../password/StrengthMeter';
import { chooseLanguage, chooseTheme, prefs } from '../prefs';

function DetailsSection({ me }: { me: Me }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [pendingEmail, setPendingEmail] = useState<string | null>(me.email_pending ?? null);
  const f = useForm({ first_name: me.first_name, last_name: me.last_name, email: me.email });
  const confirm = useForm({ code: '' });

  const startEdit = () => {
    f.reset({ first_name: me.first_name, last_name: me.last_name, email: pendingEmail ?? me.email });
    setSaved(null);
    setEditing(true);
  };

  return (
    <section class="card" aria-labelledby="details-title">
      <h2 id="details-title">{t('profile.details')}</h2>
      <Notice>{saved}</Notice>
      {!editing ? (
        <>
          <dl class="facts">
            <dt>{t('login.username')}</dt>
            <dd>{me.username}</dd>
            <dt>{t('profile.firstName')}</dt>
            <dd>{me.first_name}</dd>
            <dt>{t('profile.lastName')}</dt>
            <dd>{me.last_name}</dd>
            <dt>{t('common.email')}</dt>
            <dd>{me.email}</dd>
            {me.mobile && (
              <>
                <dt>{t('profile.mobile')}</dt>
                <dd>{me.mobile}</dd>
              </>
            )}
          </dl>
          <button type="button" class="btn btn-secondary" onClick={startEdit}>
            {t('common.edit')}
          </button>
        </>
      ) : (
        <form
          ref={f.formRef}
          noValidate
          onSubmit={f.submit(
            (v) => [
              ['first_name', v.first_name.trim() === '', t('validation.required')],
              ['last_name', v.last_name.trim() === '', t('validation.required')],
              ['email', !isEmail(v.email), t('validation.email')],
            ],
            async (v) => {
              const patch: MePatch = {};
              if (v.first_name.trim() !== me.first_name) patch.first_name = v.first_name.trim();
              if (v.last_name.trim() !== me.last_name) patch.last_name = v.last_name.trim();
              if (v.email.trim() !== me.email && v.email.trim() !== pendingEmail) patch.email = v.email.trim();
              if (Object.keys(patch).length > 0) {
                const answer = await meApi.patch(patch);
                if (answer && typeof answer.id === 'string') updateMe(answer as Me);
                else await reloadMe();
                if (answer?.email_pending) {
                  setPendingEmail(answer.email_pending);
                  confirm.reset();
                }
              }
              setEditing(false);
              setSaved(patch.email ? t('profile.savedEmailPending') : t('common.saved'));
            },
          )}
        >
          <ErrorAlert messages={f.errors.general} />
          <TextField {...f.field('first_name')} label={t('profile.firstName')} autocomplete="given-name" required />
          <TextField {...f.field('last_name')} label={t('profile.lastName')} autocomplete="family-name" required />
          <TextField {...f.field('email')} type="email" label={t('common.email')} hint={t('profile.emailHint')} autocomplete="email" required />
          <div class="button-row">
            <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
              {t('common.save')}
            </SubmitButton>
            <button type="button" class="btn btn-secondary" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {pendingEmail && (
        <form
          ref={confirm.formRef}
          class="subform"
          noValidate
          onSubmit={confirm.submit(
            (v) => [['code', !isSixDigitCode(v.code), t('validation.code')]],
            async (v) => {
              const answer = await meApi.confirmEmail(normaliseCode(v.code));
              if (answer && typeof answer.id === 'string') updateMe(answer as Me);
              else await reloadMe();
              setPendingEmail(null);
              confirm.reset();
              setSaved(t('profile.emailConfirmed'));
            },
          )}
        >
          <h3>{t('profile.confirmEmailTitle')}</h3>
          <p>{t('profile.confirmEmailIntro', { email: pendingEmail })}</p>
          <ErrorAlert messages={confirm.errors.general} />
          <TotpCodeField {...confirm.field('code')} label={t('profile.confirmCode')} />
          <SubmitButton busy={confirm.busy} busyLabel={t('common.busy')}>
            {t('profile.confirmEmail')}
          </SubmitButton>
        </form>
      )}
    </section>
  );
}

function PasswordSection({ me }: { me: Me }) {
  const [done, setDone] = useState(false);
  const f = useForm({ current_password: '', new_password: '', repeat: '' });
  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">{t('profile.password')}</h2>
      <Notice>{done ? t('profile.passwordChanged') : null}</Notice>
      <form
        ref={f.formRef}
        noValidate
        onSubmit={f.submit(
          (v) => [
            ['current_password', v.current_password === '', t('validation.required')],
            ['new_password', v.new_password === '', t('validation.required')],
            ['repeat', v.repeat !== v.new_password, t('validation.passwordsDiffer')],
          ],
          async (v) => {
            setDone(false);
            const tokens = await meApi.changePassword(v.current_password, v.new_password);
            if (tokens?.access_token) setSessionTokens(tokens);
            f.reset();
            setDone(true);
          },
        )}
      >
        <ErrorAlert messages={f.errors.general} />
        {/* Lets password managers tie the new password to the account. */}
        <input type="text" name="username" autocomplete="username" value={me.username} readOnly hidden />
        <TextField {...f.field('current_password')} type="password" label={t('password.current')} autocomplete="current-password" required />
        <TextField
          {...f.field('new_password')}
          type="password"
          label={t('password.new')}
          hint={t('password.hint')}
          autocomplete="new-password"
          required
          after={<StrengthMeter password={f.values.new_password} userInputs={[me.username, me.email, me.first_name, me.last_name]} />}
        />
        <TextField {...f.field('repeat')} type="password" label={t('password.repeat')} autocomplete="new-password" required />
        <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
          {t('profile.changePassword')}
        </SubmitButton>
      </form>
    </section>
  );
}

function RecoverySection({ me }: { me: Me }) {
  const [mode, setMode] = useState<'view' | 'confirm' | 'codes'>('view');
  const [codes, setCodes] = useState<string[]>([]);
  const f = useForm({ code: '' });
  const remaining = me.recovery_codes_remaining;
  return (
    <section class="card" aria-labelledby="recovery-title">
      <h2 id="recovery-title">{t('profile.mfa')}</h2>
      {mode !== 'codes' && (
        <>
          <p>{t('profile.mfaIntro')}</p>
          <p class={remaining <= 3 ? 'warning-text' : undefined}>
            {remaining === 1 ? t('profile.codesLeftOne') : t('profile.codesLeft', { n: remaining })}
            {remaining <= 3 && ` ${t('profile.codesLow')}`}
          </p>
        </>
      )}
      {mode === 'view' && (
        <button type="button" class="btn btn-secondary" onClick={() => { f.reset(); setMode('confirm'); }}>
          {t('profile.newCodes')}
        </button>
      )}
      {mode === 'confirm' && (
        <form
          ref={f.formRef}
          class="subform"
          noValidate
          onSubmit={f.submit(
            (v) => [['code', !isSixDigitCode(v.code), t('validation.code')]],
            async (v) => {
              const answer = await meApi.regenerateRecoveryCodes(normaliseCode(v.code));
              setCodes(answer.recovery_codes);
              f.reset();
              setMode('codes');
            },
          )}
        >
          <p>{t('profile.newCodesIntro')}</p>
          <ErrorAlert messages={f.errors.general} />
          <TotpCodeField {...f.field('code')} label={t('mfa.code')} hint={t('mfa.codeHint')} required />
          <div class="button-row">
            <SubmitButton busy={f.busy} busyLabel={t('common.busy')}>
              {t('profile.makeCodes')}
            </SubmitButton>
            <button type="button" class="btn btn-secondary" onClick={() => setMode('view')}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {mode === 'codes' && (
        <RecoveryCodes
          codes={codes}
          username={me.username}
          doneLabel={t('common.done')}
          onDone={() => {
            setCodes([]);
            setMode('view');
            void reloadMe().catch(() => undefined);
          }}
        />
      )}
    </section>
  );
}

function PreferencesSection() {
  const p = useStore(prefs);
  return (
    <section class="card" aria-labelledby="prefs-title">
      <h2 id="prefs-title">{t('profile.preferences')}</h2>
      <p>{t('profile.preferencesIntro')}</p>
      <RadioGroup
        name="language"
        legend={t('header.language')}
        value={p.lang}
        onValue={chooseLanguage}
        options={[
          { value: 'nl', label: t('lang.nl') },
          { value: 'en', label: t('lang.en') },
        ]}
      />
      <RadioGroup
        name="theme"
        legend={t('profile.theme')}
        value={p.theme}
        onValue={chooseTheme}
        options={[
          { value: 'light', label: t('profile.themeLight') },
          { value: 'dark', label: t('profile.themeDark') },
        ]}
      />
    </section>
  );
}

export function ProfilePage({ me }: { me: Me }) {
  return (
    <Page title={t('profile.title')} wide>
      <div class="sections">
        <DetailsSection me={me} />
        <PasswordSection me={me} />
        <RecoverySection me={me} />
        <PreferencesSection />
      </div>
    </Page>
  );
}
