import type { Article } from '../corpus/types.js';
import { relatedHeadline } from '../corpus/paragraphs.js';
import { messages } from '../i18n/messages.js';
import { analyze } from '../language/analyzer.js';
import type { Lang } from '../language/lang.js';
import { phraseMatched, type QueryPlan } from '../search/query.js';
import type { RankedPassage } from '../search/retriever.js';
import { textIn, titleIn } from '../search/passages.js';
import { typeEvidence } from './answer-type.js';
import { formatDate, parseIsoDate, resolveDates } from './dates.js';
import { splitSentences, stripKicker } from './sentences.js';

/** Discord's message limit; the CLI keeps to it so the bot can post any answer as is. */
export const MAX_ANSWER_CHARS = 2000;
/** A second sentence joins the best one when it scores at least this share of it. */
const SECOND_SENTENCE_SHARE = 0.75;

export interface Citation {
  article: string;
  title: string;
  source?: string;
  published?: string;
  /** 0-based, as in the corpus contract. */
  paragraph: number;
  url?: string;
}

export function articleDate(article: Article, lang: Lang): string | undefined {
  const date = parseIsoDate(article.published);
  return date ? formatDate(date, lang) : undefined;
}

export function citationOf(article: Article, paragraph: number, lang: Lang): Citation {
  return {
    article: article.id,
    title: titleIn(article, lang) ?? article.title,
    source: article.source,
    published: article.published,
    paragraph,
    url: article.url,
  };
}

export function sourceLine(article: Article, paragraph: number, lang: Lang): string {
  const title = titleIn(article, lang);
  if (!title) {
    return messages(lang).sourceUntranslated({ source: article.source, date: articleDate(article, lang), paragraph: paragraph + 1, original: article.lang });
  }
  return messages(lang).source({
    title,
    source: article.source,
    date: articleDate(article, lang),
    paragraph: paragraph + 1,
  });
}

/** Cut at the last sentence end (else word) that fits, so no answer breaks Discord's limit. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const stop = Math.max(room.lastIndexOf('. '), room.lastIndexOf('? '), room.lastIndexOf('! '));
  if (stop > max * 0.5) return room.slice(0, stop + 1);
  const space = room.lastIndexOf(' ');
  return `${room.slice(0, space > 0 ? space : room.length)}…`;
}

/**
 * The sentence(s) of a passage that answer: the one holding most of the question's weighted
 * words, with the kind of answer asked for; a neighbour joins when it is nearly as good or
 * carries the answer type the best one lacks.
 */
export function bestSentences(text: string, lang: Lang, plan: QueryPlan, weights: number[]): string[] {
  const sentences = splitSentences(text);
  if (sentences.length <= 1) return sentences.map((s) => s.text);
  const scored = sentences.map((s, i) => {
    const keys = new Set(analyze(s.text, lang).map((t) => t.key));
    let got = 0;
    plan.terms.forEach((t, ti) => {
      let m = phraseMatched(t, lang, (k) => keys.has(k)) ? 1 : 0;
      for (const [key, strength] of t.alts[lang]) if (keys.has(key)) m = Math.max(m, strength);
      got += m * weights[ti]!;
    });
    const evidence = typeEvidence(s.text, plan.type);
    // The article's own rhetorical questions raise the point; they never answer it.
    const asks = /\?\s*["»”]?$/.test(s.text) ? 0.3 : 1;
    return { i, text: s.text, evidence, score: (got * (1 + 0.6 * evidence) + 0.4 * evidence) * asks };
  });
  const best = [...scored].sort((a, b) => b.score - a.score || a.i - b.i)[0]!;
  if (/\?\s*["»”]?$/.test(best.text)) {
    // The article asks the question itself: its answer is what follows ("Pas forcément. « Rien n'indique… »").
    const following: string[] = [];
    for (const s of scored.slice(best.i + 1)) {
      if (/\?\s*["»”]?$/.test(s.text)) break;
      following.push(s.text);
      if (following.join(' ').length >= 60 || following.length === 2) break;
    }
    if (following.length) return [best.text, ...following];
  }
  const chosen = [best];
  const others = scored.filter((s) => s !== best).sort((a, b) => b.score - a.score || a.i - b.i);
  const second = others[0];
  if (second && second.score > 0) {
    const completesType = best.evidence < 0.5 && second.evidence >= 0.5 && Math.abs(second.i - best.i) === 1;
    if (second.score >= SECOND_SENTENCE_SHARE * best.score || completesType) chosen.push(second);
  }
  return chosen.sort((a, b) => a.i - b.i).map((s) => s.text);
}

/** The answer for the top passage, in `lang`: its text, and the text with its source line. */
export function extractiveAnswer(top: RankedPassage, plan: QueryPlan, weights: number[], lang: Lang): { body: string; answer: string } {
  const { article, paragraph } = top;
  const t = messages(lang);
  const text = textIn(article, paragraph, lang);
  const source = sourceLine(article, paragraph, lang);
  if (!text) {
    const body = t.onlyInOriginal({ paragraph: paragraph + 1, original: article.lang });
    return { body, answer: clip(`${body}\n\n${source}`, MAX_ANSWER_CHARS) };
  }
  let body: string;
  if (article.paragraphs[paragraph]?.kind === 'related') body = t.related(relatedHeadline(text));
  else body = bestSentences(text, lang, plan, weights).map(stripKicker).join(' ');
  body = clip(resolveDates(body, lang, article.published), MAX_ANSWER_CHARS - source.length - 2);
  return { body, answer: `${body}\n\n${source}` };
}
