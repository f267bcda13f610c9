import { createRequire } from 'node:module';
import type { Lang } from './lang.js';
import { analyze, keyOf } from './analyzer.js';

interface Concept { en: string[]; fr: string[] }
export interface LexiconData { concepts: Concept[] }
/** A lexicon's keys, as Lexicon.compiled() gives them. */
export interface CompiledLexicon {
  concepts: { fr: string[]; en: string[] }[];
  phrases: Record<Lang, { keys: string[]; concept: number }[]>;
}

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

  constructor(data: LexiconData, compiled?: CompiledLexicon) {
    const byLength = (a: { keys: string[] }, b: { keys: string[] }) => b.keys.length - a.keys.length;
    if (compiled) {
      compiled.concepts.forEach((c) => this.concepts.push({ fr: new Set(c.fr), en: new Set(c.en) }));
      this.phraseList.fr.push(...compiled.phrases.fr);
      this.phraseList.en.push(...compiled.phrases.en);
    } else {
      for (const concept of data.concepts) {
        const at = this.concepts.push({ fr: this.keysOf(concept.fr, 'fr'), en: this.keysOf(concept.en, 'en') }) - 1;
        for (const lang of ['fr', 'en'] as const) {
          for (const w of concept[lang]) {
            const ks = analyze(w, lang).map((t) => t.key);
            if (ks.length > 1) this.phraseList[lang].push({ keys: ks, concept: at });
          }
        }
      }
      this.phraseList.fr.sort(byLength);
      this.phraseList.en.sort(byLength);
    }
    this.concepts.forEach((entry, at) => {
      for (const lang of ['fr', 'en'] as const) {
        for (const key of entry[lang]) {
          const list = this.byKey[lang].get(key) ?? [];
          list.push(at);
          this.byKey[lang].set(key, list);
        }
      }
    });
  }

  /**
   * The lexicon as keys: what analyzing its words gives (with this analyzer), to be stored
   * and read back instead of analyzed again at each start (a tenth of a second).
   */
  compiled(): CompiledLexicon {
    return {
      concepts: this.concepts.map((c) => ({ fr: [...c.fr], en: [...c.en] })),
      phrases: { fr: this.phraseList.fr.map((p) => ({ ...p })), en: this.phraseList.en.map((p) => ({ ...p })) },
    };
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

/** The words of the lexicon shipped with the project (src/language/lexicon.en-fr.json). */
export function defaultLexiconData(): LexiconData {
  return createRequire(import.meta.url)('./lexicon.en-fr.json') as LexiconData;
}

/** The lexicon shipped with the project; `compiled`: its keys, when a cache has them. */
export function defaultLexicon(compiled?: CompiledLexicon): Lexicon {
  shared ??= new Lexicon(defaultLexiconData(), compiled);
  return shared;
}
