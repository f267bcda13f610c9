import { expectedAnswerType, type AnswerType } from '../answer/answer-type.js';
import { analyze, words } from '../language/analyzer.js';
import { detectLanguage } from '../language/detect.js';
import type { Lang } from '../language/lang.js';
import type { Lexicon } from '../language/lexicon.js';
import { fold, normalizeText } from '../language/normalize.js';
import { isCommonWord } from '../language/stopwords.js';

/** Discord mentions and markdown markers are not part of what is asked. */
export function stripChatMarkup(text: string): string {
  return text
    .replace(/<(?:@[!&]?|#)\d+>/g, ' ')
    .replace(/@(?:everyone|here)\b/gi, ' ')
    .replace(/(\*\*|__|~~|\|\||`+)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Answer types whose presence in a passage can be recognized. */
const TYPED = new Set(['list', 'amount', 'person', 'place', 'date', 'duration']);

/** The phrase's own words, all found in the question's language. */
export function phraseMatched(term: QueryTerm, lang: Lang, present: (key: string) => boolean): boolean {
  return term.parts !== undefined && lang === term.lang && term.parts.every(present);
}

/** Longest question we analyze; Discord caps /ask at 300 characters, the CLI takes anything. */
export const MAX_QUESTION_CHARS = 1000;

/** How well a key stands for the question's word: itself, a synonym, a translation. */
export const MATCH = { self: 1, synonym: 0.6, translation: 0.75, crossSelf: 0.8, phrasePart: 0.5 } as const;

export interface QueryTerm {
  key: string;
  surface: string;
  /** The language the question was analyzed in. */
  lang: Lang;
  /** Frequent everyday word ("people", "encore"): weak evidence either way. */
  common: boolean;
  /** Capitalized mid-sentence, all capitals, or with digits: a name, a code, a figure. */
  name: boolean;
  /**
   * The noun right after "quel(le)s" / "which" / "what": it names the kind of answer
   * ("quelles applications" → Skype, WhatsApp), which the passage shows by instances rather
   * than by the word itself.
   */
  focus: boolean;
  /** The question's main verb ("sanctionné", "calculated"): what it says happened. */
  predicate: boolean;
  /** For a lexicon phrase ("directeur général"), its words: all present is a full match. */
  parts?: string[];
  /** Keys that match this word in each language's index, with how well they match. */
  alts: Record<Lang, Map<string, number>>;
}

export interface QueryPlan {
  question: string;
  /** The question's language (detected), used to analyze it. */
  lang: Lang;
  detected: Lang | null;
  type: AnswerType;
  terms: QueryTerm[];
  /** Names the question mentions (multi-word capitalized runs, codes): the corpus must know them. */
  entities: string[];
}

const NAME_LIKE = /^(?:\p{Lu}[\p{L}\d-]*|[\p{L}]*\d[\p{L}\d]*|\p{Ll}+\p{Lu}[\p{L}\d]*)$/u;

/** Capitalized runs after the first word, e.g. "Maroc Telecom", "iPhone", "United States". */
function entitiesOf(question: string): string[] {
  const ws = words(question);
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length) out.push(run.join(' '));
    run = [];
  };
  ws.forEach((w, i) => {
    const bare = w.word.replace(/^(?:l|d|qu|s|n|c|j)'/i, '').replace(/'s$/i, '');
    const capital = /^\p{Lu}/u.test(bare) && !(i === 0 && /^\p{Lu}\p{Ll}*$/u.test(bare));
    const special = /\d/.test(bare) && /\p{L}/u.test(bare) || /^\p{Ll}+\p{Lu}/u.test(bare);
    if (capital || special) run.push(bare);
    else flush();
  });
  flush();
  return out;
}

const WH_DETERMINER = /^(?:quel|quelle|quels|quelles|lequel|laquelle|lesquels|lesquelles|which|what)$/i;
const LINKING = /^(?:est|sont|était|étaient|etait|etaient|is|are|was|were|the|le|la|les|l|de|des|du|d|of|a|an|un|une)$/i;

/** Positions of words that name the answer's kind: the first content word after a wh-determiner. */
function focusPositions(text: string): Set<number> {
  const ws = words(text);
  const out = new Set<number>();
  ws.forEach((w, i) => {
    if (!WH_DETERMINER.test(w.word)) return;
    let j = i + 1;
    while (j < ws.length && LINKING.test(ws[j]!.word.replace(/'.*$/, ''))) j++;
    const next = ws[j];
    if (next && j - i <= 4) out.add(next.start);
  });
  return out;
}

const FR_AUXILIARY = /^(?:a|as|avait|avaient|ont|aura|aurait|auraient|est|sont|était|étaient|etait|etaient|été|ete|sera|seront|serait|fut)$/i;
const FR_PARTICIPLE = /(?:é|ée|és|ées|ee|ees|i|ie|is|ies|u|ue|us|ues)$/i;
const DETERMINER = /^(?:le|la|les|un|une|des|du|de|l|ce|cette|ces|son|sa|ses|leur|leurs)$/i;
const EN_PARTICIPLE = /^\p{L}{3,}ed$/u;

/**
 * Positions of the question's main verb: a French past participle after an auxiliary
 * ("l'ANRT a-t-elle sanctionné"), an English "-ed" verb ("who calculated", "was VoIP
 * blocked"). What the question says happened must be in the passage that answers it.
 */
function predicatePositions(text: string, lang: Lang): Set<number> {
  const ws = words(text);
  const out = new Set<number>();
  ws.forEach((w, i) => {
    const word = w.word.replace(/^\p{L}'/u, '');
    if (lang === 'en') {
      if (EN_PARTICIPLE.test(word) && !/^(?:need|feed|speed|seed|bed|red|shed|hundred|indeed)$/i.test(word)) out.add(w.start);
      return;
    }
    const before = ws.slice(Math.max(0, i - 3), i).map((x) => x.word);
    // After "le"/"un" it is a noun ("le droit", "un reçu"), not a participle.
    if (DETERMINER.test(ws[i - 1]?.word.replace(/'.*$/, '') ?? '')) return;
    if (FR_PARTICIPLE.test(word) && word.length > 3 && before.some((b) => FR_AUXILIARY.test(b))) out.add(w.start);
  });
  return out;
}

/**
 * Turn a question into search terms of our own making. User text never reaches lunr's
 * query parser: "a:b", "^", "~", "*" and "-" are plain characters here.
 */
export function planQuery(question: string, lexicon: Lexicon, fallbackLang: Lang = 'fr'): QueryPlan {
  const text = stripChatMarkup(normalizeText(question)).slice(0, MAX_QUESTION_CHARS);
  const detection = detectLanguage(text, (word, l) => lexicon.knowsWord(word, l) || isCommonWord(word, l));
  const lang = detection.lang ?? fallbackLang;
  const other: Lang = lang === 'fr' ? 'en' : 'fr';
  const seen = new Map<string, QueryTerm>();
  const type = expectedAnswerType(text, lang);
  const focusAt = TYPED.has(type) ? focusPositions(text) : new Set<number>();
  const predicateAt = predicatePositions(text, lang);
  const tokens = analyze(text, lang);
  const phrases = lexicon.phrases(lang);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    // A lexicon phrase ("manque à gagner") is one term: its words alone mean something else.
    // (Bounded by hand: a read past the array's end sends the optimized code back to the interpreter.)
    const phrase = phrases.find((p) => i + p.keys.length <= tokens.length && p.keys.every((k, j) => tokens[i + j]!.key === k));
    const span = phrase ? phrase.keys.length : 1;
    const key = phrase ? phrase.keys.join('_') : token.key;
    if (seen.has(key)) continue;
    const surfaceText = tokens.slice(i, i + span).map((t) => t.surface).join(' ');
    const name = !phrase && (i > 0 || !/^\p{Lu}\p{Ll}+$/u.test(token.surface)) && NAME_LIKE.test(token.surface.replace(/^\p{L}'/u, ''));
    const related = phrase ? lexicon.relatedToConcept(phrase.concept, lang) : lexicon.related(token.key, lang);
    const same = new Map<string, number>(phrase ? phrase.keys.map((k) => [k, MATCH.phrasePart]) : [[token.key, MATCH.self]]);
    for (const k of related.synonyms) if ((same.get(k) ?? 0) < MATCH.synonym) same.set(k, phrase ? MATCH.translation : MATCH.synonym);
    const cross = new Map<string, number>();
    for (const k of related.translations) cross.set(k, MATCH.translation);
    // Names, codes and words the lexicon does not know are usually spelled alike in both languages.
    if (!phrase && !cross.has(token.key) && (name || /\d/.test(token.key) || related.translations.size === 0)) cross.set(token.key, MATCH.crossSelf);
    seen.set(key, {
      key,
      lang,
      surface: surfaceText,
      common: !phrase && isCommonWord(token.word, lang),
      name,
      focus: focusAt.has(token.start) || [...focusAt].some((at) => token.start > at && token.start <= at + 2),
      predicate: !phrase && predicateAt.has(token.start),
      alts: { [lang]: same, [other]: cross } as Record<Lang, Map<string, number>>,
      // Always present (undefined for a single word): one object shape for every term keeps
      // the ranking code's property reads monomorphic.
      parts: phrase?.keys,
    });
    i += span - 1;
  }
  return {
    question: text,
    lang,
    detected: detection.lang,
    type,
    terms: [...seen.values()],
    entities: entitiesOf(text),
  };
}
