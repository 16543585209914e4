// Loaded with import() only on the pages that set a password, so the word
// lists are not part of the first load. To keep this chunk reasonable the
// largest lists that add little for Dutch users (English surnames, both
// Wikipedia lists) are left out; common passwords, English and Dutch common
// words and Dutch/English first names and Dutch surnames stay in.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import adjacencyGraphs from '@zxcvbn-ts/language-common/dist/adjacencyGraphs.json.mjs';
import diceware from '@zxcvbn-ts/language-common/dist/diceware.json.mjs';
import passwords from '@zxcvbn-ts/language-common/dist/passwords.json.mjs';
import commonWordsEn from '@zxcvbn-ts/language-en/dist/commonWords.json.mjs';
import firstnamesEn from '@zxcvbn-ts/language-en/dist/firstnames.json.mjs';
import wordSequencesEn from '@zxcvbn-ts/language-en/dist/wordSequences.json.mjs';
import translationsEn from '@zxcvbn-ts/language-en/dist/translations.mjs';
import commonWordsNl from '@zxcvbn-ts/language-nl-be/dist/commonWords.json.esm.js';
import boysFirstnamesNl from '@zxcvbn-ts/language-nl-be/dist/boysFirstnames.json.esm.js';
import girlsFirstnamesNl from '@zxcvbn-ts/language-nl-be/dist/girlsFirstnames.json.esm.js';
import lastnamesNl from '@zxcvbn-ts/language-nl-be/dist/lastnames.json.esm.js';

export type Score = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  score: Score;
  /** Message-key suffixes (see pw.warning.* and pw.suggestion.* in the i18n files). */
  warning: string | null;
  suggestions: string[];
}

function identity<T extends Record<string, unknown>>(o: T): Record<keyof T, string> {
  return Object.fromEntries(Object.keys(o).map((k) => [k, k])) as Record<keyof T, string>;
}

// The Dutch package ships its word lists as comma-separated strings.
function words(list: string | string[]): string[] {
  return typeof list === 'string' ? list.split(',') : list;
}

let factory: ZxcvbnFactory | null = null;

function engine(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: {
      'diceware-common': diceware,
      'passwords-common': passwords,
      'commonWords-en': commonWordsEn,
      'firstnames-en': firstnamesEn,
      ...wordSequencesEn,
      'commonWords-nl': words(commonWordsNl),
      'boysFirstnames-nl': words(boysFirstnamesNl),
      'girlsFirstnames-nl': words(girlsFirstnamesNl),
      'lastnames-nl': words(lastnamesNl),
    },
    graphs: adjacencyGraphs,
    // Feedback comes back as keys; the SPA's message files hold the texts.
    translations: {
      warnings: identity(translationsEn.warnings),
      suggestions: identity(translationsEn.suggestions),
      timeEstimation: translationsEn.timeEstimation,
    },
  });
  return factory;
}

export function estimate(password: string, userInputs: string[] = []): Strength {
  const r = engine().check(password, userInputs.filter((s) => s.trim() !== ''));
  return {
    score: r.score as Score,
    warning: r.feedback.warning || null,
    suggestions: r.feedback.suggestions ?? [],
  };
}
