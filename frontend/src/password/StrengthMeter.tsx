// Password strength feedback ("Wachtwoord zwak / matig / sterk"). The
// estimator is fetched on first use with a dynamic import().
import { useEffect, useMemo, useState } from 'preact/hooks';
import { hasMessage, t, type MessageKey } from '../i18n';
import type { Strength } from './zxcvbn';

type Estimate = (password: string, userInputs?: string[]) => Strength;

let loading: Promise<Estimate> | null = null;

export function loadEstimator(): Promise<Estimate> {
  loading ??= import('./zxcvbn').then((m) => m.estimate);
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

export type Level = 'weak' | 'fair' | 'strong';

export function levelOf(score: number): Level {
  return score >= 3 ? 'strong' : score === 2 ? 'fair' : 'weak';
}

const LEVEL_KEY: Record<Level, MessageKey> = {
  weak: 'pw.strength.weak',
  fair: 'pw.strength.fair',
  strong: 'pw.strength.strong',
};

export function StrengthMeter({ password, userInputs = [], id }: { password: string; userInputs?: string[]; id?: string }) {
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  useEffect(() => {
    let live = true;
    loadEstimator()
      .then((fn) => live && setEstimate(() => fn))
      .catch(() => {
        // Without the estimator the API's own password check still applies.
      });
    return () => {
      live = false;
    };
  }, []);

  const inputsKey = userInputs.join('\u0000');
  const result = useMemo(
    () => (estimate && password ? estimate(password, userInputs) : null),
    [estimate, password, inputsKey],
  );

  const level = result ? levelOf(result.score) : null;
  return (
    <div class="strength" id={id}>
      <div class={`strength-bar${result ? ` strength-s${Math.max(1, result.score)} strength-${level}` : ''}`} aria-hidden="true">
        <span />
        <span />
        <span />
        <span />
      </div>
      <p class="strength-label" aria-live="polite">
        {level ? t(LEVEL_KEY[level]) : password ? '' : t('pw.strength.empty')}
      </p>
      {result?.warning && hasMessage(`pw.warning.${result.warning}`) && (
        <p class="strength-warning">{t(`pw.warning.${result.warning}` as MessageKey)}</p>
      )}
      {result && result.suggestions.length > 0 && level !== 'strong' && (
        <ul class="strength-tips">
          {result.suggestions
            .filter((s) => hasMessage(`pw.suggestion.${s}`))
            .map((s) => (
              <li key={s}>{t(`pw.suggestion.${s}` as MessageKey)}</li>
            ))}
        </ul>
      )}
    </div>
  );
}
