import { LRUCache } from 'lru-cache';
import type { Lang } from '../language/lang.js';
import { fold, normalizeText } from '../language/normalize.js';
import { splitSentences } from './sentences.js';

/** What kind of answer a question asks for; used to rank passages and pick sentences. */
export type AnswerType = 'cause' | 'date' | 'duration' | 'amount' | 'person' | 'place' | 'definition' | 'weather' | 'list' | 'yesno' | 'other';

// Folded question text is matched, so "ou" stands for "où" too; order matters (first wins).
const QUESTION_PATTERNS: [AnswerType, RegExp][] = [
  ['weather', /\b(?:quel temps (?:fait|faisait|fera|a-t-il fait|faisait-il|fait-il|fera-t-il)|meteo|temperature|the weather|how (?:hot|cold|warm)|did it rain|il a plu|il pleuvait)\b/],
  ['duration', /\b(?:(?:quelle|what) (?:a ete |est |etait |was |is |has been )?(?:la |the )?(?:duree|duration|length)|combien de temps|pendant combien|depuis combien|combien d(?:e |')(?:jours|semaines|mois|ans|annees|heures|minutes)|how long|(?:for )?how many (?:days|weeks|months|years|hours|minutes))\b/],
  ['cause', /\b(?:(?:what|which) (?:explanation|reason|justification|argument|rationale|motive|grounds)|what (?:sparked|caused|prompted|triggered|fueled|fuelled|led to|provoked)|qu'est-ce qui a (?:provoque|suscite|cause|declenche|entraine)|qu'est-ce qui explique|sur quel (?:fondement|motif|argument)|quel(?:le)?s? (?:explication|raison|argument|justification|motif|motivation)s?|pourquoi|pour quelle raison|quelle (?:est|etait|a ete) la (?:raison|justification|cause|motivation)|quel(?:le)?s? (?:raisons?|justifications?|motifs?|arguments?)|comment .*justifi|why|for what reason|on what grounds|what (?:was|is|were) the (?:reason|justification|cause|rationale)|how did .* justify|what reasons?|which reasons?|reasons?|raisons?|motifs?)\b/],
  ['date', /\b(?:quand|a quelle date|quel(?:le)? (?:jour|mois|annee|semaine|date)|en quelle annee|(?:which|what) (?:day|month|year|week|date)|depuis quand|a partir de quand|a quel moment|a quelle (?:periode|epoque)|when|what date|which date|what day|which day|what year|since when|as of when|at what (?:point|time)|what time of (?:the )?year)\b/],
  ['definition', /(?:\b(?:what does (?:the )?(?:term |word |acronym )?[\w-]+ (?:refer to|mean|stand for)|what is meant by|que (?:signifie|veut dire|designe)|ce que (?:signifie|veut dire|designe)|qu'est-ce que (?:c'est (?:que )?)?(?:l'|le |la |les |un |une )?[\w-]+\s*\??$|c'est quoi|what does .{1,40} (?:stand for|mean)|what is the meaning of|what (?:is|are|'s) (?:the |an? )?[\w-]+(?: about)?\s*\??$|what's (?:the |an? )?[\w-]+\s*\??$|explain what|definition)\b)/],
  ['amount', /\b(?:(?:what|which|quel(?:le)?s?)(?:\s+[\w'-]+){0,3}?\s+(?:cost|price|loss|losses|amount|sum|figure|total|budget|cout|prix|perte|pertes|montant|somme|chiffre|manque a gagner)|combien|quel(?:le)? (?:montant|prix|cout|chiffre|nombre|manque a gagner|somme|perte|part|budget|total)|how (?:much|many)|what (?:amount|price|sum|figure|number|loss)|which amount)\b/],
  ['person', /\b(?:qui|who|whom|whose|quel(?:le)? (?:ministre|directeur|directrice|responsable|dirigeant|organisme|instance|agence|institution|autorite|entreprise|societe|operateur|personne|homme|femme|site|media|journal)|(?:which|what) (?:minister|director|official|person|agency|body|organi[sz]ation|regulator|authority|company|operator|outlet|newspaper|website|site)|quel est le nom|what is the name|what's the name|comment s'appelle)\b/],
  ['place', /\b(?:ou|(?:dans |en )?quel(?:le)? (?:ville|pays|region|lieu|endroit)|a quel endroit|en quel lieu|where|(?:in )?(?:which|what) (?:city|country|town|place|region))\b/],
  ['list', /(?:^(?:name|list|cite|give) (?:the|all)|^(?:citez|nommez|donnez)\b|\b(?:quel(?:le)?s|lesquel(?:le)?s|which|what (?:apps|applications|services|companies|operators)))\b/],
];

const YESNO_START = /^(?:est-ce|(?:is|are|was|were|does|did|do|can|could|will|would|has|have|had|should)\b)/;
const FR_INVERSION = /\b\p{L}+-(?:t-)?(?:il|elle|ils|elles|on)\b/u;

export function expectedAnswerType(question: string, lang: Lang): AnswerType {
  const q = fold(normalizeText(question)).trim();
  // The question word that comes first decides: "what explanation … when it cut" asks for a cause.
  let best: { type: AnswerType; at: number } | null = null;
  for (const [type, pattern] of QUESTION_PATTERNS) {
    // "ou" is also the conjunction "or": only trust it at the start of a clause.
    if (type === 'place' && !/(?:^|[,;:] *)(?:ou|where)\b|\b(?:quel(?:le)? (?:ville|pays|region|lieu|endroit)|a quel endroit|en quel lieu|(?:which|what) (?:city|country|town|place|region)|where)\b/.test(q)) continue;
    const m = pattern.exec(q);
    if (m && (!best || m.index < best.at)) best = { type, at: m.index };
  }
  if (best) return best.type;
  if (YESNO_START.test(q) || (lang === 'fr' && FR_INVERSION.test(q))) return 'yesno';
  return 'other';
}

const MONTHS = 'janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|march|april|may|june|july|august|september|october|november|december|janv|fevr|sept|oct|nov|dec|jan|feb|mar|apr|jun|jul|aug|sep';
const WEEKDAYS = 'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const NUMBER_WORDS = 'un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|cent|quelques|plusieurs|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|hundred|a few|several|a|an';
const UNITS = 'ans?|annees?|mois|semaines?|jours?|heures?|years?|months?|weeks?|days?|hours?';

const EVIDENCE_PATTERNS: Partial<Record<AnswerType, RegExp[]>> = {
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
    /\b(?:des |les |plusieurs |quelques )?(?:milliers|centaines|dizaines|millions|milliards|thousands|hundreds|dozens|tens of thousands)\b/,
    /[$€£]\s?\d/,
    /\b\d[\d.,]*\b/,
  ],
  cause: [
    /\b(?:parce que?|en raison d|a cause d|du fait d|afin d|pour que|justifi\w*|expliqu\w*|raisons?|motif\w*|au motif|puisque|because|due to|owing to|in order to|so that|justif\w*|explain\w*|reasons?|grounds|on the grounds)\b/,
    /\b(?:car|suscit\w*|provoqu\w*|entrain\w*|caused|angered|sparked|prompted|led to|triggered)\b/,
  ],
  place: [/(?<![\p{L}'])(?:à|au|aux|en|dans|in|at)\s+(?:la |le |l')?\p{Lu}\p{Ll}[\p{L}-]+/u],
  person: [
    /\b(?:M\.|Mme|Mr\.?|Mrs\.?|Ms\.?)\s+\p{Lu}/u,
    /(?<![.!?]\s|^)\b\p{Lu}\p{Ll}+(?:\s+(?:El|Al|Ben|Ibn|de|du|van|von|d')?\s*\p{Lu}\p{Ll}+){1,3}\b/u,
    /\b(?:directeur|directrice|ministre|president|presidente|pdg|porte-parole|director|minister|president|ceo|spokesman|spokeswoman|chief)\b/,
    /\b\p{Lu}{3,}\b/u,
    /[\p{Ll},;:]\s+(?:les |des |la |le |l')?\p{Lu}[\p{L}\d]+/u,
  ],
  weather: [/\b(?:degres?|°c?|ensoleill\w*|pluie|pluvieu\w*|chaleur|canicule|froid|nuageu\w*|orage\w*|meteo|temperatures?|degrees?|sunny|rain\w*|heat|cloudy|storm\w*|weather)\b/],
  definition: [
    /\b\p{Lu}[\p{L}\d]*\s*\([^)]{3,80}\)/u,
    /\b(?:c'est-a-dire|autrement dit|i\.e\.|that is|stands for|which means|signifie)\b/,
    // An apposition: "l'ANRT, l'agence de régulation…", "the ANRT, the regulatory agency…".
    /\b\p{Lu}[\p{Lu}\d]+\b,\s+(?:l'|le |la |les |un |une |the |an? )\p{Ll}/u,
  ],
  list: [/\b\p{Lu}[\p{L}\d]+(?:\s*,\s*\p{Lu}[\p{L}\d]+){1,}(?:\s*,?\s*(?:et|ou|and|or)\s+\p{Lu}[\p{L}\d]+)?/u],
};

/** Weaker signs: a bare year, a bare number, a title without a name, "depuis"/"for". */
const WEAK: Partial<Record<AnswerType, Record<number, number>>> = {
  date: { 4: 0.6 },
  amount: { 2: 0.8, 3: 0.4 },
  person: { 2: 0.5, 3: 0.5, 4: 0.5 },
  duration: { 1: 0.4 },
  cause: { 1: 0.6 },
};

const EVIDENCE: Partial<Record<AnswerType, { re: RegExp; strength: number; cased: boolean }[]>> = Object.fromEntries(
  Object.entries(EVIDENCE_PATTERNS).map(([type, patterns]) => [
    type,
    patterns.map((re, i) => ({
      re: new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g'),
      strength: WEAK[type as AnswerType]?.[i] ?? 1,
      // Names and places need capitals: those patterns read the text as written.
      cased: re.flags.includes('u'),
    })),
  ]),
);

/** A type's patterns as typeMatches runs them (for tests: they check it finds what matchAll finds). */
export function typePatterns(type: AnswerType): readonly { re: RegExp; strength: number; cased: boolean }[] {
  return EVIDENCE[type] ?? [];
}

export interface TypeMatch {
  start: number;
  end: number;
  strength: number;
}

/**
 * Answer types flagged on every paragraph at indexing time, so the first stage can look for
 * articles that hold such an answer at all: types whose sign is one pattern on the text as
 * written (cheap to run over a whole corpus) and rare enough in news to narrow a search. A
 * list of names ("Skype, WhatsApp, Viber ou Messenger") is one.
 */
export const FLAGGED_TYPES: readonly AnswerType[] = ['list'];

/** The FLAGGED_TYPES a text shows a strong sign of, as bits (1 << their index). */
export function typeFlags(text: string): number {
  let flags = 0;
  FLAGGED_TYPES.forEach((type, bit) => {
    const strong = EVIDENCE[type]?.filter((p) => p.cased && p.strength >= 1) ?? [];
    if (strong.some(({ re }) => {
      re.lastIndex = 0;
      return re.test(text);
    })) flags |= 1 << bit;
  });
  return flags;
}

/** The bit of a flagged type, or 0. */
export function typeFlag(type: AnswerType): number {
  const bit = FLAGGED_TYPES.indexOf(type);
  return bit < 0 ? 0 : 1 << bit;
}

/**
 * Candidate paragraphs come back question after question: normalizing and folding them is
 * most of the cost of looking for a type's signs, so the last few thousand are remembered.
 */
interface Prepared {
  norm: string;
  folded: string;
  /** The text's signs of each type asked so far, and its sentences: read again for each question that ranks it. */
  matches: Partial<Record<AnswerType, readonly TypeMatch[]>>;
  sentences?: ReturnType<typeof splitSentences>;
}
const preparedTexts = new LRUCache<string, Prepared>({ max: 4096 });
function prepared(text: string): Prepared {
  let p = preparedTexts.get(text);
  if (!p) {
    const norm = normalizeText(text);
    p = { norm, folded: fold(norm), matches: {} };
    preparedTexts.set(text, p);
  }
  return p;
}

/** Past an empty match, as matchAll goes: one code unit, or a whole code point with the u flag. */
function advance(s: string, at: number, unicode: boolean): number {
  if (!unicode || at + 1 >= s.length) return at + 1;
  const c = s.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(at + 1) & 0xfc00) === 0xdc00 ? at + 2 : at + 1;
}

/** Every place where a text shows an answer of the given type, with how strong a sign it is. */
export function typeMatches(text: string, type: AnswerType): readonly TypeMatch[] {
  const patterns = EVIDENCE[type];
  if (!patterns) return [];
  const p = prepared(text);
  let out = p.matches[type];
  if (!out) {
    const found: TypeMatch[] = [];
    for (const { re, strength, cased } of patterns) {
      // What matchAll finds, without the copy of the expression and the iterator it makes per
      // text: candidate paragraphs come by the dozen, and a pattern matches each many times.
      const s = cased ? p.norm : p.folded;
      re.lastIndex = 0;
      for (let m = re.exec(s); m !== null; m = re.exec(s)) {
        found.push({ start: m.index, end: m.index + m[0].length, strength });
        if (m[0].length === 0) re.lastIndex = advance(s, re.lastIndex, re.unicode);
      }
    }
    p.matches[type] = out = found;
  }
  return out;
}

/** How strongly a text carries an answer of the given type: 0 (no sign) to 1. */
export function typeEvidence(text: string, type: AnswerType): number {
  return typeMatches(text, type).reduce((best, m) => Math.max(best, m.strength), 0);
}

/**
 * Like typeEvidence, but a sign counts fully only near the question's words: in "four days
 * before COP22 … decided to block VoIP", the duration is not the blockade's.
 * `anchors` are character offsets of the question's words in the text.
 */
export function typeEvidenceNear(text: string, type: AnswerType, anchorsOf: number[] | (() => number[])): number {
  // A cause is often given of "this decision": its marker need not stand by the question's words.
  if (!LOCAL_TYPES.has(type)) return typeEvidence(text, type);
  const matches = typeMatches(text, type);
  if (!matches.length) return 0;
  // Where the question's words stand is only worth finding when the text has a sign at all.
  const anchors = typeof anchorsOf === 'function' ? anchorsOf() : anchorsOf;
  if (!anchors.length) return matches.reduce((best, m) => Math.max(best, m.strength * FAR), 0);
  // Only words of the same sentence are near.
  const p = prepared(text);
  const sentences = (p.sentences ??= splitSentences(p.norm));
  const sentenceAt = (offset: number) => sentences.findIndex((s) => offset >= s.start && offset < s.end);
  // Each anchor's sentence once, not once per sign (a paragraph may show dozens of names).
  const anchorSentences = anchors.map(sentenceAt);
  let best = 0;
  for (const m of matches) {
    let distance = Infinity;
    const sentence = sentenceAt(m.start);
    for (let k = 0; k < anchors.length; k++) {
      if (anchorSentences[k] !== sentence) continue;
      const a = anchors[k]!;
      distance = Math.min(distance, a < m.start ? m.start - a : a > m.end ? a - m.end : 0);
    }
    // A definition must be of the word asked about: "VoIP (voix sur IP)", not the ANRT's.
    const nearness = type === 'definition' ? (distance === 0 ? 1 : 0) : distance <= NEAR_CHARS ? 1 : distance <= 2.5 * NEAR_CHARS ? 0.7 : FAR;
    best = Math.max(best, m.strength * nearness);
  }
  return best;
}

const LOCAL_TYPES: ReadonlySet<AnswerType> = new Set(['date', 'duration', 'amount', 'person', 'place', 'definition']);
/** Within this many characters of a question word, a sign of the answer type is "near". */
const NEAR_CHARS = 60;
const FAR = 0.45;
