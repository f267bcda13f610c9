import { typeEvidence, type AnswerType } from '../answer/answer-type.js';
import { articleDate, clip } from '../answer/extractive.js';
import { resolveDates } from '../answer/dates.js';
import { splitSentences, stripKicker } from '../answer/sentences.js';
import type { Article } from '../corpus/types.js';
import { analyze } from '../language/analyzer.js';
import type { Lang } from '../language/lang.js';
import { messages } from '../i18n/messages.js';
import { textIn, titleIn } from '../search/passages.js';

export const SUMMARY_MIN_CHARS = 200;
export const SUMMARY_MAX_CHARS = 1500;
const MAX_SENTENCES = 5;
const MIN_SENTENCES = 3;
/** Facets a news summary should cover: what happened (lead), when, who, why. */
const FACETS: AnswerType[] = ['date', 'person', 'cause', 'place'];

export interface Summary {
  article: string;
  title: string;
  lang: Lang;
  mode: 'extractive' | 'generated';
  summary: string;
  sources: { article: string; paragraph: number }[];
  published?: string;
  date?: string;
  source?: string;
  url?: string;
  note?: string;
}

interface Candidate {
  paragraph: number;
  order: number;
  text: string;
  keys: Set<string>;
  facets: Map<AnswerType, number>;
  centrality: number;
}

/**
 * An extractive summary: sentences chosen for how central their words are to the article
 * and its title, for covering what, when, who and why, and for not repeating each other;
 * then put back in the article's order.
 */
export function summarize(article: Article, requested: Lang): Summary {
  const lang: Lang = textIn(article, 0, requested) ? requested : article.lang;
  const title = titleIn(article, lang) ?? article.title;
  const candidates: Candidate[] = [];
  const frequency = new Map<string, number>();
  for (const p of article.paragraphs) {
    if (p.kind !== 'body') continue;
    const text = textIn(article, p.index, lang)!;
    splitSentences(text).forEach((s, i) => {
      const sentence = stripKicker(s.text);
      const keys = new Set(analyze(sentence, lang).map((t) => t.key));
      for (const k of keys) frequency.set(k, (frequency.get(k) ?? 0) + 1);
      const facets = new Map(FACETS.map((f) => [f, typeEvidence(sentence, f)] as const));
      candidates.push({ paragraph: p.index, order: p.index * 100 + i, text: sentence, keys, facets, centrality: 0 });
    });
  }
  const titleKeys = new Set(analyze(title, lang).map((t) => t.key));
  for (const c of candidates) {
    let sum = 0;
    for (const k of c.keys) sum += (frequency.get(k) ?? 1) - 1 + (titleKeys.has(k) ? 2 : 0);
    // Per-word centrality, damped so long sentences do not win on length alone.
    c.centrality = sum / Math.sqrt(Math.max(c.keys.size, 4));
  }
  const maxCentrality = Math.max(...candidates.map((c) => c.centrality), 1);
  const chosen: Candidate[] = [];
  const covered = new Set<AnswerType>();
  const length = () => chosen.reduce((n, c) => n + c.text.length + 1, 0);
  while (chosen.length < MAX_SENTENCES) {
    let best: Candidate | undefined;
    let bestScore = -Infinity;
    for (const c of candidates) {
      if (chosen.includes(c)) continue;
      if (length() + c.text.length > SUMMARY_MAX_CHARS) continue;
      let facetGain = 0;
      for (const [f, v] of c.facets) if (!covered.has(f)) facetGain += v * 0.5;
      const overlap = Math.max(0, ...chosen.map((o) => jaccard(o.keys, c.keys)));
      const lead = c.order === candidates[0]?.order ? 0.15 : 0;
      // Very short sentences ("Pas forcément.") say little out of their context.
      const short = c.text.length < 70 ? 0.3 : 0;
      const score = c.centrality / maxCentrality + facetGain - 0.9 * overlap + lead - short - 0.002 * Math.max(0, c.text.length - 500);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    if (!best) break;
    if (chosen.length >= MIN_SENTENCES && length() >= SUMMARY_MIN_CHARS && bestScore < 0.45) break;
    chosen.push(best);
    for (const [f, v] of best.facets) if (v >= 0.8) covered.add(f);
  }
  chosen.sort((a, b) => a.order - b.order);
  const text = clip(resolveDates(chosen.map((c) => c.text).join(' '), lang, article.published), SUMMARY_MAX_CHARS);
  const paragraphs = [...new Set(chosen.map((c) => c.paragraph))];
  return {
    article: article.id,
    title,
    lang,
    mode: 'extractive',
    summary: text,
    sources: paragraphs.map((paragraph) => ({ article: article.id, paragraph })),
    published: article.published,
    date: articleDate(article, lang),
    source: article.source,
    url: article.url,
    ...(lang !== requested ? { note: messages(requested).summaryOnlyInOriginal(article.title) } : {}),
  };
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const k of a) if (b.has(k)) inter++;
  return inter / Math.max(a.size + b.size - inter, 1);
}
