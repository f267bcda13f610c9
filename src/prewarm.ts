import { typeMatches, type AnswerType } from './answer/answer-type.js';
import { resolveDates } from './answer/dates.js';
import { bestSentences } from './answer/extractive.js';
import type { Lang } from './language/lang.js';
import type { Lexicon } from './language/lexicon.js';
import { planQuery } from './search/query.js';

/**
 * The part of answering that needs no index, run on sample text while a new process reads
 * its segment files. V8 compiles a function when first called, and a regular expression when
 * first run, then again to machine code when run a second time, apart for one-byte and
 * two-byte strings: a new process's first question paid for a few hundred of these (60–80
 * ms), and its next ones for the rest. Here they are paid between the files' decoding, while
 * the next files are read: the first question takes 27–30 ms, the load ≈40 ms more.
 */

/** Types whose signs answering looks for in passages (answer-type.ts). */
const TYPES: readonly AnswerType[] = ['cause', 'date', 'duration', 'amount', 'person', 'place', 'definition', 'weather', 'list'];

const SAMPLES: Record<Lang, { questions: string[]; paragraph: string }> = {
  fr: {
    questions: ['Pourquoi l’ANRT a-t-elle bloqué les appels de Skype et WhatsApp au Maroc ?', 'Quand, et pendant combien de temps, qui a payé 10 millions de dirhams ?'],
    paragraph:
      "Le jeudi 3 novembre, l'ANRT, l'agence de régulation, a levé l'interdiction des appels VoIP (voix sur IP) de Skype, WhatsApp, Viber et Messenger au Maroc. " +
      "Depuis janvier dernier, M. Azdoud Amine, directeur de Maroc Telecom, évoquait un manque à gagner de 2,5 millions d'euros (30 %) en raison de la concurrence. " +
      'Il faisait 25 degrés à Rabat pendant trois jours.',
  },
  en: {
    questions: ['Why did the regulator block Skype and WhatsApp calls in Morocco?', 'When, and for how long, who paid $10 million?'],
    paragraph:
      'On Thursday, November 3, the ANRT, the regulatory agency, lifted the ban on VoIP (voice over IP) calls from Skype, WhatsApp, Viber and Messenger in Morocco. ' +
      'Since last January, Mr. Amine Azdoud, director of Maroc Telecom, had cited a loss of 2.5 million euros (30%) because of the competition. ' +
      'It was 25 degrees in Rabat for three days.',
  },
};

/** Characters beyond Latin-1, common in articles: they make a string two-byte. */
const TWO_BYTE = ' — l’œuvre…';

/**
 * The warm-up as small steps, most useful first (French, then English; each kind of string
 * run twice), for a caller to run while it waits. Each step takes a few milliseconds in a
 * new process and next to nothing afterwards.
 */
export function prewarmSteps(lexicon: Lexicon): (() => void)[] {
  const steps: (() => void)[] = [];
  for (const lang of ['fr', 'en'] as const) {
    const { questions, paragraph } = SAMPLES[lang];
    for (const suffix of ['', TWO_BYTE]) {
      for (const run of [1, 2]) {
        // Distinct texts each run: passages' signs are cached by text.
        const text = `${paragraph}${suffix} (${run})`;
        steps.push(() => {
          for (const q of questions) {
            const plan = planQuery(`${q}${suffix}`, lexicon, lang);
            bestSentences(text, lang, plan, plan.terms.map(() => 1));
          }
        });
        steps.push(() => {
          for (const type of TYPES) typeMatches(text, type);
          resolveDates(text, lang, '2016-11-10');
        });
      }
    }
  }
  return steps;
}
