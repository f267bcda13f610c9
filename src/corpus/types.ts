import type { Lang } from '../language/lang.js';

export type ParagraphKind = 'body' | 'related';

export interface Paragraph {
  /** 0-based over the original's body. */
  index: number;
  text: string;
  /** `related`: a "LIRE AUSSI" teaser: another article's headline, not this article's report. */
  kind: ParagraphKind;
}

export interface Translation {
  id: string;
  file: string;
  /** Hash of the file's text: tells a reload what changed. */
  hash: string;
  lang: Lang;
  title: string;
  paragraphs: string[];
}

export interface Article {
  id: string;
  file: string;
  /** Hash of the file's text (translations have their own). */
  hash: string;
  title: string;
  lang: Lang;
  source?: string;
  url?: string;
  /** ISO date, YYYY, YYYY-MM or YYYY-MM-DD. */
  published?: string;
  paragraphs: Paragraph[];
  translations: Partial<Record<Lang, Translation>>;
}

export interface CorpusError {
  file: string;
  reason: string;
}

export interface Corpus {
  dir: string;
  articles: Article[];
  errors: CorpusError[];
  /** Hash of every loaded file's name and bytes: keys the index cache and answer caches. */
  fingerprint: string;
}
