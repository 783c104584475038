/**
 * Password strength by zxcvbn-ts (common passwords, English words and names, keyboard patterns, dates),
 * its feedback in the catalogue's words. A chunk of its own, about 1.6 MB of dictionaries: loaded only
 * when a new password is typed (PasswordStrength.vue), never with the first screen.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { section } from '../../i18n/i18n';

export interface Strength {
  /** zxcvbn's 0 (guessed at once) to 4 (very unlikely to be guessed). */
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly warning: string | null;
  readonly suggestions: readonly string[];
}

const words = section('strength');
const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: { warnings: words.warnings, suggestions: words.suggestions, timeEstimation: words.timeEstimation },
});

/** `userInputs`: what the form also knows (the hint, the e-mail), which a password must not lean on. */
export function estimate(password: string, userInputs: readonly string[] = []): Strength {
  const r = zxcvbn.check(password, userInputs.filter((u) => u !== ''));
  return { score: r.score, warning: r.feedback.warning || null, suggestions: r.feedback.suggestions };
}
