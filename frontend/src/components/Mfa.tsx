// Second-factor pieces shared by login and profile: the authenticator
// enrolment (QR code + secret), the 6-digit code field and the one-time
// display of recovery codes.
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { groupSecret } from '../format/format';
import type { TotpEnrolment } from '../api/types';
import { CopyButton, downloadText } from './Copy';
import { CheckboxField, TextField, type TextFieldProps } from './Field';
import { Icon } from './Icon';

/** SVG markup → data: URL (UTF-8 safe base64). */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

export function TotpCodeField(props: Omit<TextFieldProps, 'inputMode' | 'autocomplete' | 'maxLength'>) {
  return (
    <TextField
      inputMode="numeric"
      autocomplete="one-time-code"
      pattern="[0-9 ]*"
      maxLength={7}
      spellcheck={false}
      class="input-code"
      {...props}
    />
  );
}

export function EnrolmentInstructions({ totp }: { totp: TotpEnrolment }) {
  const grouped = groupSecret(totp.secret);
  return (
    <div class="enrol">
      <ol class="steps-list">
        <li>{t('mfa.enroll.step1')}</li>
        <li>{t('mfa.enroll.step2')}</li>
        <li>{t('mfa.enroll.step3')}</li>
      </ol>
      <div class="enrol-grid">
        <div class="qr">
          <img src={svgDataUrl(totp.qr_svg)} alt={t('mfa.enroll.qrAlt')} width={200} height={200} />
        </div>
        <div class="secret">
          <p>{t('mfa.enroll.noScan')}</p>
          <p class="secret-value" aria-label={t('mfa.enroll.secretLabel')}>
            <code>{grouped}</code>
          </p>
          <CopyButton text={totp.secret.replace(/\s+/g, '')} label={t('mfa.enroll.copySecret')} />
          <p class="hint">
            <a href={totp.otpauth_uri}>{t('mfa.enroll.openApp')}</a>
          </p>
        </div>
      </div>
    </div>
  );
}

export function recoveryCodesText(codes: readonly string[], username: string | null): string {
  const head = [t('codes.fileTitle'), ...(username ? [t('codes.fileUser', { username })] : []), t('codes.fileHint')];
  return [...head, '', ...codes, ''].join('\r\n');
}

/** Shows new recovery codes once; continuing needs "Ik heb deze codes veilig bewaard". */
export function RecoveryCodes({ codes, username, onDone, doneLabel }: { codes: readonly string[]; username: string | null; onDone: () => void; doneLabel: string }) {
  const [stored, setStored] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const text = recoveryCodesText(codes, username);
  return (
    <form
      class="recovery-codes"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!stored) {
          setError(t('codes.confirmRequired'));
          (e.currentTarget.querySelector('[data-field="stored"]') as HTMLElement | null)?.focus();
          return;
        }
        onDone();
      }}
    >
      <p>{t('codes.intro')}</p>
      <p class="warning-text">
        <Icon name="lock" /> {t('codes.once')}
      </p>
      <ol class="codes" aria-label={t('codes.listLabel')}>
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div class="button-row">
        <button type="button" class="btn btn-secondary" onClick={() => downloadText(t('codes.filename'), text)}>
          <Icon name="download" />
          {t('codes.download')}
        </button>
        <CopyButton text={codes.join('\n')} label={t('codes.copy')} />
      </div>
      <CheckboxField
        name="stored"
        label={t('codes.stored')}
        checked={stored}
        onChange={(v) => {
          setStored(v);
          if (v) setError(undefined);
        }}
        error={error}
      />
      <div class="button-row">
        <button type="submit" class="btn btn-primary" aria-disabled={stored ? undefined : 'true'}>
          {doneLabel}
        </button>
      </div>
    </form>
  );
}
