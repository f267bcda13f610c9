import { createRequire } from 'node:module';
import type { Lang } from './lang.js';
import { analyze, keyOf } from './analyzer.js';

interface Concept { en: string[]; fr: string[] }
export interface LexiconData { concepts: Concept[] }

export interface Related {
  /** Other keys of the same language that mean the same thing (synonyms, derivations). */
  synonyms: Set<string>;
  /** Keys of the other language that translate it. */
  translations: Set<string>;
}

/**
 * A bilingual lexicon over index keys: each concept's words are analyzed like corpus text,
 * so any inflection of a word finds its concept. Phrases that analyze to more than one key
 * cannot stand for one word and are left out of expansion.
 */
export class Lexicon {
  private readonly concepts: { fr: Set<string>; en: Set<string> }[] = [];
  private readonly byKey = { fr: new Map<string, number[]>(), en: new Map<string, number[]>() };
  /** Multi-word entries ("manque à gagner", "voice over IP"), as key sequences, longest first. */
  private readonly phraseList = { fr: [] as { keys: string[]; concept: number }[], en: [] as { keys: string[]; concept: number }[] };

  constructor(data: LexiconData) {
    const byLength = (a: { keys: string[] }, b: { keys: string[] }) => b.keys.length - a.keys.length;
    for (const concept of data.concepts) {
      const entry = { fr: this.keysOf(concept.fr, 'fr'), en: this.keysOf(concept.en, 'en') };
      const at = this.concepts.push(entry) - 1;
      for (const lang of ['fr', 'en'] as const) {
        for (const w of concept[lang]) {
          const ks = analyze(w, lang).map((t) => t.key);
          if (ks.length > 1) this.phraseList[lang].push({ keys: ks, concept: at });
        }
      }
      for (const lang of ['fr', 'en'] as const) {
        for (const key of entry[lang]) {
          const list = this.byKey[lang].get(key) ?? [];
          list.push(at);
          this.byKey[lang].set(key, list);
        }
      }
    }
    this.phraseList.fr.sort(byLength);
    this.phraseList.en.sort(byLength);
  }

  private keysOf(words: string[], lang: Lang): Set<string> {
    const out = new Set<string>();
    for (const w of words) {
      // The stemmer does not always bring a French word's feminine and plural to its key
      // ("interdit" → interd, "interdite" → interdit): list the forms, keep every key.
      const forms = lang === 'fr' && !/\s/.test(w) ? [w, `${w}e`, `${w}s`, `${w}es`] : [w];
      for (const form of forms) {
        const ks = analyze(form, lang).map((t) => t.key);
        if (ks.length === 1) out.add(ks[0]!);
      }
    }
    return out;
  }

  related(key: string, lang: Lang): Related {
    const other: Lang = lang === 'fr' ? 'en' : 'fr';
    const synonyms = new Set<string>();
    const translations = new Set<string>();
    for (const at of this.byKey[lang].get(key) ?? []) {
      const c = this.concepts[at]!;
      for (const k of c[lang]) if (k !== key) synonyms.add(k);
      for (const k of c[other]) translations.add(k);
    }
    return { synonyms, translations };
  }

  phrases(lang: Lang): readonly { keys: string[]; concept: number }[] {
    return this.phraseList[lang];
  }

  /** What a multi-word entry relates to: every single word of its concept. */
  relatedToConcept(concept: number, lang: Lang): Related {
    const other: Lang = lang === 'fr' ? 'en' : 'fr';
    const c = this.concepts[concept]!;
    return { synonyms: new Set(c[lang]), translations: new Set(c[other]) };
  }

  has(key: string, lang: Lang): boolean {
    return this.byKey[lang].has(key);
  }

  /** Whether a word (any inflection) belongs to the lexicon's words of `lang`. */
  knowsWord(word: string, lang: Lang): boolean {
    const key = keyOf(word, lang);
    return key !== null && this.byKey[lang].has(key);
  }
}

let shared: Lexicon | undefined;

/** The lexicon shipped with the project (src/language/lexicon.en-fr.json). */
export function defaultLexicon(): Lexicon {
  if (!shared) {
    const require = createRequire(import.meta.url);
    shared = new Lexicon(require('./lexicon.en-fr.json') as LexiconData);
  }
  return shared;
}
