import { describe, expect, it } from 'vitest';
import { levelOf } from './StrengthMeter';
import { estimate } from './zxcvbn';

describe('password strength', () => {
  it('calls common passwords weak, in Dutch and English', () => {
    expect(levelOf(estimate('password').score)).toBe('weak');
    expect(levelOf(estimate('wachtwoord').score)).toBe('weak');
    expect(levelOf(estimate('welkom123').score)).toBe('weak');
    expect(estimate('password').warning).toBe('topTen');
  });

  it('calls a long passphrase strong', () => {
    expect(levelOf(estimate('fiets-lantaarn-Komkommer-zeventig').score)).toBe('strong');
  });

  it('counts the user’s own details against the password', () => {
    const alone = estimate('bakkerijjansen2024').score;
    const withInputs = estimate('bakkerijjansen2024', ['bakkerijjansen', 'anna@bakkerijjansen.nl']).score;
    expect(withInputs).toBeLessThan(alone);
  });

  it('maps scores to the three words of the manual', () => {
    expect([0, 1, 2, 3, 4].map(levelOf)).toEqual(['weak', 'weak', 'fair', 'strong', 'strong']);
  });
});
