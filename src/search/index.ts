import type lunrType from 'lunr';
import type { Article } from '../corpus/types.js';
import { analyze } from '../language/analyzer.js';
import { LANGS, type Lang } from '../language/lang.js';
import { lunr } from '../language/stemmers.js';
import { passagesIn } from './passages.js';

export const TITLE_BOOST = 1.5;

/**
 * Our analyzer (elisions, accents, numbers, stems reduced to derivational families) replaces
 * lunr's tokenizer and pipeline: the index stores our keys, and queries use the same keys,
 * so user text never meets lunr's query parser.
 */
function tokenizerFor(lang: Lang) {
  return (value: unknown): lunrType.Token[] => {
    if (value == null) return [];
    return analyze(String(value), lang).map((t) => new lunr.Token(t.key, {}));
  };
}

export function buildLangIndex(articles: Iterable<Article>, lang: Lang): lunrType.Index {
  return lunr(function (this: lunrType.Builder) {
    this.pipeline.reset();
    this.searchPipeline.reset();
    (this as unknown as { tokenizer: unknown }).tokenizer = tokenizerFor(lang);
    this.ref('ref');
    this.field('body');
    this.field('title', { boost: TITLE_BOOST });
    for (const p of passagesIn(articles, lang)) this.add({ ref: p.ref, body: p.text, title: p.title });
  });
}

export type LangIndexes = Record<Lang, lunrType.Index>;

export function buildIndexes(articles: Article[]): LangIndexes {
  return Object.fromEntries(LANGS.map((l) => [l, buildLangIndex(articles, l)])) as LangIndexes;
}

export function loadIndexes(json: Record<Lang, object>): LangIndexes {
  return Object.fromEntries(LANGS.map((l) => [l, lunr.Index.load(json[l])])) as LangIndexes;
}

type Posting = Record<string, Record<string, unknown>> & { _index: number };
/** How many passages of an index hold `key` in their body. */
export function documentFrequency(index: lunrType.Index, key: string): number {
  const posting = (index as unknown as { invertedIndex: Record<string, Posting> }).invertedIndex[key];
  if (!posting || !Object.prototype.hasOwnProperty.call((index as unknown as { invertedIndex: object }).invertedIndex, key)) return 0;
  return Object.keys(posting.body ?? {}).length;
}
