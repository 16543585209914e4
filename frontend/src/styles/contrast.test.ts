// WCAG 2.1 AA for both themes, read from the stylesheet itself: text 4.5:1,
// focus rings, field borders and meter segments 3:1.
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(__dirname, 'app.css'), 'utf8');

function theme(selector: string): Record<string, string> {
  const start = css.indexOf(selector);
  const block = css.slice(css.indexOf('{', start) + 1, css.indexOf('}', start));
  const vars: Record<string, string> = {};
  for (const m of block.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) vars[m[1]!] = m[2]!;
  return vars;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const TEXT: [fg: string, bg: string][] = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['text', 'surface-alt'],
  ['text', 'error-bg'],
  ['text', 'success-bg'],
  ['text', 'info-bg'],
  ['text', 'input-bg'],
  ['text', 'code-bg'],
  ['muted', 'bg'],
  ['muted', 'surface'],
  ['muted', 'info-bg'],
  ['link', 'bg'],
  ['link', 'surface'],
  ['link', 'surface-alt'],
  ['link', 'info-bg'],
  ['on-primary', 'primary'],
  ['on-primary', 'primary-hover'],
  ['error', 'surface'],
  ['error', 'bg'],
  ['success', 'surface'],
  ['warning', 'surface'],
  ['warning', 'warning-bg'],
  ['success', 'success-bg'],
  ['error', 'error-bg'],
  ['on-error', 'error'],
  ['on-error', 'error-hover'],
  ['muted', 'surface-alt'],
  ['warning', 'surface-alt'],
  ['header-text', 'header-bg'],
  ['header-bg', 'header-text'],
];

const NON_TEXT: [fg: string, bg: string][] = [
  ['border', 'surface'],
  ['border', 'input-bg'],
  ['error', 'input-bg'],
  ['focus', 'bg'],
  ['focus', 'surface'],
  ['header-focus', 'header-bg'],
  ['meter-weak', 'surface'],
  ['meter-fair', 'surface'],
  ['meter-strong', 'surface'],
];

describe.each([
  ['light', ":root[data-theme='light']"],
  ['dark', ":root[data-theme='dark']"],
])('%s theme', (_name, selector) => {
  const v = theme(selector);

  it.each(TEXT)('%s on %s has at least 4.5:1', (fg, bg) => {
    expect(v[fg], `--${fg}`).toBeDefined();
    expect(v[bg], `--${bg}`).toBeDefined();
    expect(contrast(v[fg]!, v[bg]!)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(NON_TEXT)('%s against %s has at least 3:1', (fg, bg) => {
    expect(contrast(v[fg]!, v[bg]!)).toBeGreaterThanOrEqual(3);
  });
});

describe('contrast()', () => {
  it('matches the WCAG reference values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});
