import { typeEvidenceNear } from '../answer/answer-type.js';
import type { Article } from '../corpus/types.js';
import { analyze } from '../language/analyzer.js';
import { LANGS, type Lang } from '../language/lang.js';
import { fold } from '../language/normalize.js';
import { documentFrequency, type LangIndexes } from './index.js';
import { parseRef, textIn, titleIn } from './passages.js';
import { phraseMatched, type QueryPlan, type QueryTerm } from './query.js';

/** Weight of an everyday word, whether or not the corpus has it. */
const COMMON_WEIGHT = 0.35;
/** A word found only in the article's title counts this much of a match in the paragraph. */
const TITLE_MATCH = 0.5;
/** How much a passage that carries the expected kind of answer gains (cause, date, name…). */
const TYPE_GAIN = 0.35;
/** A focus word ("applications" in "quelles applications") weighs this share of a plain word… */
const FOCUS_WEIGHT = 0.5;
/** …and counts as matched this much when the passage shows the answer type (Skype, WhatsApp…). */
const FOCUS_BY_TYPE = 0.8;
/**
 * How much the rest of the article counts: a paragraph of an article that holds the
 * question's other words elsewhere (COP22 in the next paragraph) is the likelier answer.
 */
const ARTICLE_GAIN = 0.4;
/** A "Read also" teaser is another article's headline: this article's own text goes first. */
const RELATED_FACTOR = 0.9;
/** Candidates read from each language's index before reranking. */
const CANDIDATES = 60;

export interface RankedPassage {
  article: Article;
  paragraph: number;
  /** Final ranking score. */
  score: number;
  /** Weighted share of the question's words that the passage (or its title) holds, 0–1. */
  coverage: number;
  /** The same share over the whole article's retrieved paragraphs and title. */
  articleCoverage: number;
  /** Per question word, its best match anywhere in the article. */
  articleMatched: number[];
  /** How strongly the passage carries the expected type of answer, 0–1. */
  typeEvidence: number;
  /** Per question word, how well the passage matched it (0 = not at all). */
  matched: number[];
  lunrScore: number;
}

export interface Retrieval {
  plan: QueryPlan;
  weights: number[];
  passages: RankedPassage[];
}

/**
 * Two languages, one ranking: a question is looked up in the index of each language through
 * its own words, their synonyms and their translations; a paragraph's matches in its original
 * and in its translation are merged, then reranked on coverage and answer type.
 */
export class Retriever {
  private readonly keysCache = new Map<string, Set<string>>();
  private readonly foldedCache = new Map<string, string[]>();
  readonly passageCount: number;

  constructor(
    private readonly indexes: LangIndexes,
    private readonly articles: ReadonlyMap<string, Article>,
  ) {
    this.passageCount = [...articles.values()].reduce((n, a) => n + a.paragraphs.length, 0);
  }

  /** Informativeness of each question word, from how many passages hold it. */
  weightsOf(plan: QueryPlan): number[] {
    const n = Math.max(this.passageCount, 1);
    return plan.terms.map((t) => {
      if (t.common) return COMMON_WEIGHT;
      let df = 0;
      for (const lang of LANGS) {
        for (const [key, strength] of t.alts[lang]) {
          if (strength >= 0.75) df = Math.max(df, documentFrequency(this.indexes[lang], key));
        }
      }
      return Math.log(1 + n / Math.max(df, 0.5)) * (t.focus ? FOCUS_WEIGHT : 1);
    });
  }

  retrieve(plan: QueryPlan, limit = 10): Retrieval {
    const weights = this.weightsOf(plan);
    type Acc = { matched: number[]; lunr: number; article: Article; paragraph: number };
    const byRef = new Map<string, Acc>();
    for (const lang of LANGS) {
      const index = this.indexes[lang];
      const queryKeys = new Map<string, number>();
      plan.terms.forEach((t, i) => {
        for (const [key, strength] of t.alts[lang]) {
          queryKeys.set(key, Math.max(queryKeys.get(key) ?? 0, strength * weights[i]!));
        }
      });
      if (queryKeys.size === 0) continue;
      const results = index.query((q) => {
        for (const [key, boost] of queryKeys) q.term(key, { usePipeline: false, boost });
      });
      for (const r of results.slice(0, CANDIDATES)) {
        const { article: id, paragraph } = parseRef(r.ref);
        const article = this.articles.get(id);
        if (!article) continue;
        const acc = byRef.get(r.ref) ?? { matched: plan.terms.map(() => 0), lunr: 0, article, paragraph };
        acc.lunr = Math.max(acc.lunr, r.score);
        const meta = r.matchData.metadata as Record<string, Record<string, unknown>>;
        plan.terms.forEach((t, i) => {
          if (phraseMatched(t, lang, (k) => Boolean(meta[k]?.body))) acc.matched[i] = 1;
          for (const [key, strength] of t.alts[lang]) {
            const fields = meta[key];
            if (!fields) continue;
            const m = fields.body ? strength : TITLE_MATCH * strength;
            if (m > acc.matched[i]!) acc.matched[i] = m;
          }
        });
        byRef.set(r.ref, acc);
      }
    }
    // Everyday words count when they match and are left out when they do not: "svp",
    // "exactement" or "people" say nothing about whether a passage answers.
    const informative = plan.terms.reduce((sum, t, i) => sum + (t.common ? 0 : weights[i]!), 0);
    const totalFor = (matched: number[]) => informative + plan.terms.reduce((sum, t, i) => sum + (t.common && matched[i]! > 0 ? weights[i]! : 0), 0) || 1;
    // Article level: each word's best match over the article's retrieved paragraphs.
    const byArticle = new Map<string, number[]>();
    for (const acc of byRef.values()) {
      const best = byArticle.get(acc.article.id) ?? plan.terms.map(() => 0);
      acc.matched.forEach((m, i) => (best[i] = Math.max(best[i]!, m)));
      byArticle.set(acc.article.id, best);
    }
    const ranked: RankedPassage[] = [];
    for (const acc of byRef.values()) {
      let evidence = 0;
      for (const lang of LANGS) {
        const text = textIn(acc.article, acc.paragraph, lang);
        if (text) evidence = Math.max(evidence, typeEvidenceNear(text, plan.type, anchorsIn(text, lang, plan)));
      }
      plan.terms.forEach((t, i) => {
        if (t.focus) acc.matched[i] = Math.max(acc.matched[i]!, FOCUS_BY_TYPE * evidence);
      });
      const got = acc.matched.reduce((s, m, i) => s + m * weights[i]!, 0);
      const coverage = got / totalFor(acc.matched);
      const articleMatched = byArticle.get(acc.article.id)!;
      const articleGot = articleMatched.reduce((s, m, i) => s + m * weights[i]!, 0);
      ranked.push({
        article: acc.article,
        paragraph: acc.paragraph,
        coverage,
        articleCoverage: articleGot / totalFor(articleMatched),
        articleMatched,
        typeEvidence: evidence,
        matched: acc.matched,
        lunrScore: acc.lunr,
        score:
          ((got + ARTICLE_GAIN * articleGot) * (1 + TYPE_GAIN * evidence) + 0.01 * acc.lunr) *
          (acc.article.paragraphs[acc.paragraph]?.kind === 'related' ? RELATED_FACTOR : 1),
      });
    }
    ranked.sort((a, b) => b.score - a.score || a.paragraph - b.paragraph);
    return { plan, weights, passages: ranked.slice(0, limit) };
  }

  /** Keys of an article's text in every language it has, for entity checks. */
  private articleKeys(article: Article): Set<string> {
    let keys = this.keysCache.get(article.id);
    if (!keys) {
      keys = new Set();
      for (const lang of LANGS) {
        const title = titleIn(article, lang);
        if (!title) continue;
        for (const t of analyze(title, lang)) keys.add(`${lang}:${t.key}`);
        for (const p of article.paragraphs) for (const t of analyze(textIn(article, p.index, lang)!, lang)) keys.add(`${lang}:${t.key}`);
      }
      this.keysCache.set(article.id, keys);
    }
    return keys;
  }

  /**
   * Names in the question the article does not know ("Maroc Telecom", "iPhone"): a question
   * about something the article never mentions is not answered by it, however many other
   * words they share.
   */
  unknownEntities(plan: QueryPlan, article: Article): string[] {
    let texts = this.foldedCache.get(article.id);
    if (!texts) {
      texts = LANGS.flatMap((l) => [titleIn(article, l), ...article.paragraphs.map((p) => textIn(article, p.index, l))])
        .filter((t): t is string => Boolean(t))
        .map((t) => fold(t));
      this.foldedCache.set(article.id, texts);
    }
    const keys = this.articleKeys(article);
    return plan.entities.filter((entity) => {
      const folded = fold(entity);
      if (texts!.some((t) => t.includes(folded))) return false;
      // One word the lexicon translates ("Morocco" → "Maroc") is known through its translation.
      const parts = analyze(entity, plan.lang);
      if (parts.length !== 1) return true;
      const term: QueryTerm | undefined = plan.terms.find((t) => t.key === parts[0]!.key);
      if (!term) return true;
      return !LANGS.some((l) => [...term.alts[l].keys()].some((k) => keys.has(`${l}:${k}`)));
    });
  }
}

/** Where the question's informative words stand in a text (character offsets). */
export function anchorsIn(text: string, lang: Lang, plan: QueryPlan): number[] {
  const wanted = new Set<string>();
  for (const t of plan.terms) if (!t.common && !t.focus) for (const k of t.alts[lang].keys()) wanted.add(k);
  return analyze(text, lang).filter((tok) => wanted.has(tok.key)).map((tok) => tok.start);
}

