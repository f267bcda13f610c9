import type { Lang } from '../language/lang.js';
import { fold, normalizeText } from '../language/normalize.js';

/** What kind of answer a question asks for; used to rank passages and pick sentences. */
export type AnswerType = 'cause' | 'date' | 'duration' | 'amount' | 'person' | 'place' | 'list' | 'yesno' | 'other';

// Folded question text is matched, so "ou" stands for "où" too; order matters (first wins).
const QUESTION_PATTERNS: [AnswerType, RegExp][] = [
  ['duration', /\b(?:combien de temps|pendant combien|depuis combien|how long|for how many (?:days|weeks|months|years))\b/],
  ['cause', /\b(?:pourquoi|pour quelle raison|quelle (?:est|etait|a ete) la (?:raison|justification|cause|motivation)|quel(?:le)?s? (?:raisons?|justifications?|motifs?|arguments?)|comment .*justifi|why|for what reason|on what grounds|what (?:was|is|were) the (?:reason|justification|cause|rationale)|how did .* justify|what reasons?|which reasons?)\b/],
  ['date', /\b(?:quand|a quelle date|quel jour|en quelle annee|depuis quand|a partir de quand|when|what date|which date|what day|which day|what year|since when|as of when)\b/],
  ['amount', /\b(?:combien|quel (?:montant|prix|cout|chiffre|nombre)|quelle (?:somme|perte|part)|how (?:much|many)|what (?:amount|price|sum|figure|number)|which amount)\b/],
  ['person', /\b(?:qui|who|whom|whose|quel (?:ministre|directeur|responsable|dirigeant)|which (?:minister|director|official|person))\b/],
  ['place', /\b(?:ou|dans quelle ville|dans quel pays|a quel endroit|en quel lieu|where|in which (?:city|country|town)|in what (?:city|country|town))\b/],
  ['list', /\b(?:quel(?:le)?s|lesquel(?:le)?s|which|what (?:apps|applications|services|companies|operators))\b/],
];

const YESNO_START = /^(?:est-ce|(?:is|are|was|were|does|did|do|can|could|will|would|has|have|had|should)\b)/;
const FR_INVERSION = /\b\p{L}+-(?:t-)?(?:il|elle|ils|elles|on)\b/u;

export function expectedAnswerType(question: string, lang: Lang): AnswerType {
  const q = fold(normalizeText(question)).trim();
  for (const [type, pattern] of QUESTION_PATTERNS) {
    // "ou" is also the conjunction "or": only trust it at the start of a clause.
    if (type === 'place' && !/(?:^|[,;:] *)(?:ou|where)\b|\b(?:dans quel|a quel endroit|en quel lieu|in which|in what|where)\b/.test(q)) continue;
    if (pattern.test(q)) return type;
  }
  if (YESNO_START.test(q) || (lang === 'fr' && FR_INVERSION.test(q))) return 'yesno';
  return 'other';
}

const MONTHS = 'janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|march|april|may|june|july|august|september|october|november|december|janv|fevr|sept|oct|nov|dec|jan|feb|mar|apr|jun|jul|aug|sep';
const WEEKDAYS = 'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const NUMBER_WORDS = 'un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|cent|quelques|plusieurs|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|hundred|a few|several|a|an';
const UNITS = 'ans?|annees?|mois|semaines?|jours?|heures?|years?|months?|weeks?|days?|hours?';

const EVIDENCE: Partial<Record<AnswerType, RegExp[]>> = {
  date: [
    new RegExp(`\\b(?:${WEEKDAYS})\\b`),
    new RegExp(`\\b(?:\\d{1,2}(?:er)?|1st|2nd|3rd|\\d{1,2}th)\\s+(?:${MONTHS})\\b|\\b(?:${MONTHS})\\s+\\d{1,2}\\b`),
    new RegExp(`\\b(?:debut|fin|mi|courant|early|late|mid|in|en|depuis|since|dernier|last)[ -](?:${MONTHS})\\b|\\b(?:${MONTHS}) (?:dernier|derniere|last)\\b`),
    /\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/,
    /\b(?:19|20)\d{2}\b/,
    /\b(?:hier|aujourd'hui|avant-hier|yesterday|today)\b/,
  ],
  duration: [new RegExp(`\\b(?:\\d+|${NUMBER_WORDS})\\s+(?:${UNITS})\\b`), /\b(?:depuis|pendant|durant|since|for|during)\b/],
  amount: [
    /\b\d[\d\s.,]*\s*(?:millions?|milliards?|billions?|thousands?|milliers?|dollars?|euros?|dirhams?|dh|mdh|mad|usd|eur|%|pour ?cent|percent)\b/,
    /[$€£]\s?\d/,
    /\b\d[\d.,]*\b/,
  ],
  cause: [
    /\b(?:parce que?|car|en raison d|a cause d|du fait d|afin d|pour que|justifi\w*|expliqu\w*|raisons?|motif\w*|au motif|puisque|suscit\w*|provoqu\w*|because|due to|owing to|in order to|so that|justif\w*|explain\w*|reasons?|grounds|caused|angered|sparked|prompted|on the grounds)\b/,
  ],
  place: [/\b(?:a|au|aux|en|dans|de|in|at|to|from)\s+(?:la |le |l')?\p{Lu}[\p{L}-]+/u],
  person: [
    /\b(?:M\.|Mme|Mr\.?|Mrs\.?|Ms\.?)\s+\p{Lu}/u,
    /(?<![.!?]\s|^)\b\p{Lu}\p{Ll}+(?:\s+(?:El|Al|Ben|Ibn|de|du|van|von|d')?\s*\p{Lu}\p{Ll}+){1,3}\b/u,
    /\b(?:directeur|directrice|ministre|president|presidente|pdg|porte-parole|director|minister|president|ceo|spokesman|spokeswoman|chief)\b/,
    /\b\p{Lu}{3,}\b/u,
  ],
  list: [/\b\p{Lu}[\p{L}\d]+(?:\s*,\s*\p{Lu}[\p{L}\d]+){1,}(?:\s*,?\s*(?:et|ou|and|or)\s+\p{Lu}[\p{L}\d]+)?/u],
};

/**
 * How strongly a text carries an answer of the given type: 0 (no sign) to 1.
 * Case-sensitive patterns (names, places) read the original; the rest read folded text.
 */
export function typeEvidence(text: string, type: AnswerType): number {
  const patterns = EVIDENCE[type];
  if (!patterns) return 0;
  const norm = normalizeText(text);
  const folded = fold(norm);
  let best = 0;
  patterns.forEach((re, i) => {
    const caseSensitive = re.flags.includes('u');
    if (re.test(caseSensitive ? norm : folded)) best = Math.max(best, type === 'amount' && i === 2 ? 0.4 : type === 'person' && i >= 2 ? 0.5 : type === 'duration' && i === 1 ? 0.4 : type === 'date' && i === 5 ? 0.6 : 1);
  });
  // Weekday or day-month are precise dates; a bare year is weaker.
  return best;
}
