import { LRUCache } from 'lru-cache';
import { typeEvidenceNear, typeFlag } from '../answer/answer-type.js';
import type { Article } from '../corpus/types.js';
import { analyze } from '../language/analyzer.js';
import { LANGS, type Lang } from '../language/lang.js';
import { fold } from '../language/normalize.js';
import { textIn, titleIn } from './passages.js';
import { phraseMatched, type QueryPlan, type QueryTerm } from './query.js';
import { ArticleIndex, B, K1, TITLE_BOOST, type LangPart, type Segment } from './segment.js';
import { SharedVocabulary } from './vocabulary.js';

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
/**
 * Ranking an article's passages, a word weighs at most this many times its weight within
 * the article, log(1 + paragraphs / paragraphs holding it). A word in most of an article's
 * paragraphs tells which article, not which of its passages: in a large corpus its weight
 * is that of a rare word ("VoIP" in 10,000 articles of other news), and it outweighed the
 * words that single out the passage asked about ("les opérateurs" in "quel organisme a
 * demandé aux opérateurs de rétablir les appels VoIP ?"). The corpus-wide weight still
 * ranks the articles (ARTICLE_GAIN) and measures coverage. In a corpus of one article the
 * two weights are about the same, and the cap leaves them be.
 *
 * The question's main verb keeps its weight: it names the event asked about, which an
 * article about that event mentions throughout, and it is what tells the passage of that
 * event ("les appels ont été rétablis") from the passage of another (their blocking).
 */
const WITHIN_ARTICLE_CAP = 2;

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
 * What the engine needs from a search backend. The in-memory segments implement it; an
 * external search engine could too (docs/PERFORMANCE.md says how): the engine only ranks,
 * decides and answers from what this returns.
 */
export interface PassageRetriever {
  readonly passageCount: number;
  retrieve(plan: QueryPlan, limit?: number): Retrieval;
  /** Names the question mentions that an article never does (`paragraph`: where to look first). */
  unknownEntities(plan: QueryPlan, article: Article, paragraph?: number): string[];
}

/** Articles read from the first stage (lunr, over whole articles) before paragraphs are scored. */
const ARTICLE_CANDIDATES = 25;
/**
 * A word whose lunr postings cover more than this share of the articles (all segments), and
 * more than BROAD_FLOOR of them, is not sent to lunr. A question made only of such words
 * ("Who is the president of the United States?") gets no lunr query at all: lunr's cost is
 * per posting (it builds objects for each), hundreds of them for one everyday word, while
 * ranking a few dozen articles on one such word says little. The recall net, which weighs
 * every word from flat arrays, chooses its articles.
 */
const BROAD_SHARE = 0.02;
/**
 * Postings lunr reads at little cost: a word with no more is never broad (in a small corpus
 * every word is in 2% of the articles).
 */
const BROAD_FLOOR = 50;
/**
 * A clause whose boost is under this share of the question's strongest is not sent to lunr
 * either: an everyday word or a loose synonym ("temps", "responsable" for "directeur", at
 * 0.2–1.6 beside 10–11) cannot lift an article among lunr's best, but can bring it hundreds
 * of postings. The second stage and the recall net still weigh it.
 */
const WEAK_CLAUSE_SHARE = 0.3;
/** Articles added by how much of the question they hold, whatever lunr thought of them. */
const COVERAGE_CANDIDATES = 10;
/** …and among those that show the expected kind of answer (answer-type FLAGGED_TYPES). */
const TYPED_CANDIDATES = 5;

interface LocalAlt {
  id: number;
  term: number;
  strength: number;
  /** Query boost × idf, for the tie-break score. */
  weight: number;
}

interface Candidate {
  article: Article;
  segment: Segment;
  index: number;
  paragraph: number;
  matched: number[];
  lunr: number;
  articleGot: number;
  articleMatched: number[];
  /** Per term, its weight for ranking this article's passages (WITHIN_ARTICLE_CAP). */
  within: number[];
  bound: number;
}

/** The k best items offered, by score (ties: first offered), without sorting them all. */
class TopK<T> {
  private readonly scores: number[] = [];
  private readonly values: T[] = [];
  constructor(private readonly k: number) {}

  offer(score: number, value: T): void {
    if (this.k <= 0 || (this.scores.length >= this.k && score <= this.scores[this.scores.length - 1]!)) return;
    let at = this.scores.length;
    while (at > 0 && this.scores[at - 1]! < score) at--;
    this.scores.splice(at, 0, score);
    this.values.splice(at, 0, value);
    if (this.scores.length > this.k) {
      this.scores.pop();
      this.values.pop();
    }
  }

  items(): T[] {
    return [...this.values];
  }
}

/**
 * n zeros in an array of doubles: match strengths are fractions, and arrays that start as
 * small integers change kind on their first fraction, which sent the optimized ranking code
 * back to the interpreter (a few milliseconds) question after question.
 */
function zeros(n: number): number[] {
  // Copied from one array per length: copying keeps the kind, and costs less than Array.from.
  const row = n < zeroRows.length ? zeroRows[n] : undefined;
  if (row) return row.slice();
  const made = Array.from({ length: n }, () => 0.5).fill(0);
  if (n < zeroRows.length) zeroRows[n] = made;
  return made.slice();
}
/** Rows by length, made when first asked for; a read past the end sent the optimized callers back to the interpreter. */
const zeroRows: (number[] | undefined)[] = new Array<number[] | undefined>(64).fill(undefined);

const hasKey = (keys: Int32Array, from: number, to: number, id: number): boolean => {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = keys[mid]!;
    if (k === id) return true;
    if (k < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
};

/** One alternative's postings in the recall net: a range of its part's keyArticles. */
export class NetPostings {
  /**
   * Set to a fraction first, so V8 stores the field as a double from the start: a strength
   * of 1 first and 0.8 later changed the objects' layout under the optimized net, which then
   * fell back to the interpreter to be compiled again.
   */
  readonly strength: number = 0.5;
  constructor(
    readonly part: LangPart,
    readonly from: number,
    readonly to: number,
    strength: number,
  ) {
    this.strength = strength;
  }
}

/** The recall net's arrays for one segment, kept from one question to the next. */
export interface NetWork {
  /** Per article, its answer-type flags (answer types shown) in either language. */
  types: Int32Array;
  candidate: Uint8Array;
  cover: Float64Array;
  strength: Float64Array;
  seen: Int32Array;
  /** A probed term's postings: the candidates that hold it. */
  hits: Int32Array;
}

const holds = (p: NetPostings, a: number) => hasKey(p.part.keyArticles, p.from, p.to, a);

/**
 * An article's cover, term by term in the question's order (coverSegment adds in the same
 * order, so the two agree to the last bit).
 */
export function coverOf(lists: NetPostings[][], weights: number[], a: number): number {
  let c = 0;
  for (let i = 0; i < lists.length; i++) {
    let best = 0;
    for (const p of lists[i]!) if (p.strength > best && holds(p, a)) best = p.strength;
    if (best > 0) c += weights[i]! * best;
  }
  return c;
}

/**
 * The recall net in one segment: each candidate article's cover (in work.cover), the
 * candidates being the articles that hold a term that is not probed (when no term is, the
 * articles that hold any: those of a question made only of everyday words, not the whole
 * segment). A probed term's long postings are searched for each candidate when cheaper.
 */
export function coverSegment(lists: NetPostings[][], probed: boolean[], weights: number[], work: NetWork, n: number): number[] {
  const { candidate, cover, strength, seen, hits } = work;
  candidate.fill(0);
  for (let i = 0; i < lists.length; i++) {
    if (probed[i]) continue;
    for (const p of lists[i]!) for (let k = p.from; k < p.to; k++) candidate[p.part.keyArticles[k]!] = 1;
  }
  const candidates: number[] = [];
  for (let a = 0; a < n; a++) if (candidate[a]) candidates.push(a);
  if (candidates.length === 0) return candidates;
  cover.fill(0);
  // Per article, the term's best strength so far, valid where `seen` is this term's mark.
  seen.fill(-1);
  const touched: number[] = [];
  for (let i = 0; i < lists.length; i++) {
    touched.length = 0;
    for (const p of lists[i]!) {
      const st = p.strength;
      // Both kinds of postings are read by one loop (and probeInto is called either way):
      // a branch first taken after V8 had optimized this function sent it back to the
      // interpreter, for several questions, to be compiled again.
      const probe = probed[i]! && candidates.length * Math.log2(p.to - p.from + 2) < p.to - p.from;
      const found = probeInto(p, probe, candidates, hits);
      const keys = probe ? hits : p.part.keyArticles;
      const to = probe ? found : p.to;
      for (let k = probe ? 0 : p.from; k < to; k++) {
        const a = keys[k]!;
        // An article another alternative of the term already gave: the stronger counts. Its
        // strength is read either way, for the same reason as above (this read, first made
        // when two alternatives' postings first overlapped, did the same).
        const fresh = seen[a] !== i;
        const before = strength[a]!;
        if (fresh) {
          seen[a] = i;
          touched.push(a);
        }
        strength[a] = fresh || st > before ? st : before;
      }
    }
    const w = weights[i]!;
    for (const a of touched) cover[a]! += w * strength[a]!;
  }
  return candidates;
}

/**
 * With `probe`, the candidates that hold p's key, written to `hits` (their count returned):
 * a term's long postings searched for each candidate, when cheaper than reading them all.
 */
function probeInto(p: NetPostings, probe: boolean, candidates: number[], hits: Int32Array): number {
  if (!probe) return 0;
  let n = 0;
  for (const a of candidates) if (holds(p, a)) hits[n++] = a;
  return n;
}

/** The question's informative words' weight (every word that is not an everyday one). */
function informativeWeight(plan: QueryPlan, weights: number[]): number {
  let sum = 0;
  for (let i = 0; i < plan.terms.length; i++) sum += plan.terms[i]!.common ? 0 : weights[i]!;
  return sum;
}

/** The weight a passage's coverage is a share of: the informative words and the everyday ones it holds. */
function totalWeight(plan: QueryPlan, weights: number[], informative: number, matched: number[]): number {
  let common = 0;
  for (let i = 0; i < plan.terms.length; i++) common += plan.terms[i]!.common && matched[i]! > 0 ? weights[i]! : 0;
  return informative + common || 1;
}

function weightedSum(matched: number[], weights: number[]): number {
  let sum = 0;
  for (let i = 0; i < matched.length; i++) sum += matched[i]! * weights[i]!;
  return sum;
}

type Slot = { stamp: Int32Array; first: Int32Array; bits: Uint32Array };

/** A part's alternatives of the question's words, and their chains by key id (slot.first, then next). */
interface PartAlts {
  alts: LocalAlt[];
  slot: Slot;
  next: Int32Array;
}

/** Per paragraph of an article: its best match per question word, and its BM25 tie-break. */
interface ParagraphMatch {
  matched: number[];
  lunr: number;
}

/**
 * Stage 2 for one question: every paragraph of the chosen articles, scored on all the
 * question's words from the segments' flat arrays, in the original and in the translation.
 */
class ParagraphScorer {
  private readonly localAlts = new Map<LangPart, PartAlts>();
  private readonly focusBound: number[];
  private readonly phrases: { t: QueryTerm; i: number }[];

  constructor(
    private readonly plan: QueryPlan,
    private readonly weights: number[],
    private readonly queryKeys: Record<Lang, Map<string, number>>,
    private readonly stamp: number,
    private readonly vocabulary: Record<Lang, SharedVocabulary>,
    private readonly views: Record<Lang, number>,
    private readonly slots: Map<LangPart, Slot>,
    private readonly withinCap: number,
  ) {
    this.focusBound = plan.terms.map((t) => (t.focus ? FOCUS_BY_TYPE : 0));
    this.phrases = plan.terms.map((t, i) => ({ t, i })).filter(({ t }) => t.parts !== undefined);
  }

  /** The question's alternatives found in this part, indexed by key id for the paragraph loop. */
  private altsIn(part: LangPart): PartAlts {
    let local = this.localAlts.get(part);
    if (local) return local;
    const alts: LocalAlt[] = [];
    const n = Math.max(this.views[part.lang], 1);
    const keys = this.queryKeys[part.lang];
    const vocabulary = this.vocabulary[part.lang];
    const at = vocabulary.indexOf(part);
    this.plan.terms.forEach((t, i) => {
      t.alts[part.lang].forEach((strength, key) => {
        const { ids, df } = vocabulary.entry(key);
        const id = at < 0 ? -1 : ids[at]!;
        if (id < 0) return;
        alts.push({ id, term: i, strength, weight: keys.get(key)! * Math.log(1 + Math.abs(n - df + 0.5) / (df + 0.5)) });
      });
    });
    // Key id → its alternatives (first, then `next`), so each paragraph's words are read once.
    let slot = this.slots.get(part);
    if (!slot) this.slots.set(part, (slot = { stamp: new Int32Array(part.keys.size), first: new Int32Array(part.keys.size), bits: new Uint32Array((part.keys.size >>> 5) + 1) }));
    const next = new Int32Array(alts.length).fill(-1);
    const stamp = this.stamp;
    for (let a = alts.length - 1; a >= 0; a--) {
      const id = alts[a]!.id;
      if (slot.stamp[id] === stamp) next[a] = slot.first[id]!;
      slot.stamp[id] = stamp;
      slot.first[id] = a;
      slot.bits[id >>> 5]! |= 1 << (id & 31);
    }
    local = { alts, slot, next };
    this.localAlts.set(part, local);
    return local;
  }

  /** Every paragraph of one article that matches a word of the question, as a candidate. */
  scoreArticle(article: Article, segment: Segment, index: number, candidates: Candidate[]): void {
    const { plan, weights } = this;
    // The paragraphs' kinds, not their texts: a loaded article's texts are decoded only
    // when a passage of it is read (type evidence, answers).
    const kinds = segment.kinds[index]!;
    const paragraphs: ParagraphMatch[] = [];
    for (let p = 0; p < kinds.length; p++) paragraphs.push({ matched: zeros(plan.terms.length), lunr: 0 });
    for (const lang of LANGS) {
      const part = segment.parts[lang];
      if (!part || part.viewStart[index]! < 0) continue;
      const local = this.altsIn(part);
      if (local.alts.length === 0) continue;
      matchParagraphs(part, index, plan.terms.length, local, this.stamp, paragraphs);
      if (this.phrases.length > 0) this.matchPhrases(part, lang, index, kinds.length, paragraphs);
    }
    const articleMatched = zeros(plan.terms.length);
    for (const p of paragraphs) for (let i = 0; i < articleMatched.length; i++) if (p.matched[i]! > articleMatched[i]!) articleMatched[i] = p.matched[i]!;
    const articleGot = weightedSum(articleMatched, weights);
    const within = this.withinArticle(paragraphs);
    const focusBound = this.focusBound;
    for (let paragraph = 0; paragraph < paragraphs.length; paragraph++) {
      const acc = paragraphs[paragraph]!;
      if (!acc.matched.some((m) => m > 0)) continue;
      // weightedSum() of the matches raised to their focus bound, without an array per paragraph.
      let gotBound = 0;
      for (let i = 0; i < acc.matched.length; i++) gotBound += Math.max(acc.matched[i]!, focusBound[i]!) * within[i]!;
      const related = kinds[paragraph] === 'related' ? RELATED_FACTOR : 1;
      const bound = ((gotBound + ARTICLE_GAIN * articleGot) * (1 + TYPE_GAIN) + 0.01 * acc.lunr) * related;
      candidates.push({ article, segment, index, paragraph, matched: acc.matched, lunr: acc.lunr, articleGot, articleMatched, within, bound });
    }
  }

  /** Each term's weight for ranking the article's passages: capped by its weight within the article (the main verb's is not). */
  private withinArticle(paragraphs: ParagraphMatch[]): number[] {
    const { weights, withinCap, plan } = this;
    const within = zeros(weights.length);
    const total = paragraphs.length;
    for (let i = 0; i < within.length; i++) {
      let holding = 0;
      for (let p = 0; p < total; p++) if (paragraphs[p]!.matched[i]! > 0) holding++;
      within[i] = holding === 0 || plan.terms[i]!.predicate ? weights[i]! : Math.min(weights[i]!, withinCap * Math.log(1 + total / holding));
    }
    return within;
  }

  /** Phrase words ("Maroc Telecom") match a paragraph that holds all their parts. */
  private matchPhrases(part: LangPart, lang: Lang, index: number, count: number, paragraphs: ParagraphMatch[]): void {
    for (let pi = 0; pi < count; pi++) {
      const v = part.viewStart[index]! + pi;
      const s0 = part.setOffsets[v]!;
      const s1 = part.setOffsets[v + 1]!;
      for (const { t, i } of this.phrases) {
        if (phraseMatched(t, lang, (k) => hasKey(part.setKeys, s0, s1, this.vocabulary[lang].idIn(part, k)))) paragraphs[pi]!.matched[i] = 1;
      }
    }
  }

  /** The bit sets are per part, shared by questions: cleared for the next one. */
  done(): void {
    for (const { alts, slot } of this.localAlts.values()) for (const { id } of alts) slot.bits[id >>> 5] = 0;
  }
}

/**
 * The paragraph loop of stage 2, for one article in one language: each paragraph's words
 * read once, each counted for the question's alternatives with that key.
 */
function matchParagraphs(part: LangPart, index: number, terms: number, local: PartAlts, stamp: number, paragraphs: ParagraphMatch[]): void {
  const { alts, slot, next } = local;
  const { stamp: stamps, first, bits } = slot;
  const count = paragraphs.length;
  // A word found only in the title counts for every paragraph, a little.
  const titleMatched = zeros(terms);
  const inTitle = new Uint8Array(alts.length);
  for (let k = part.titleOffsets[index]!; k < part.titleOffsets[index + 1]!; k++) {
    const key = part.titleKeys[k]!;
    if (stamps[key] !== stamp) continue;
    for (let a = first[key]!; a >= 0; a = next[a]!) {
      inTitle[a] = 1;
      titleMatched[alts[a]!.term] = Math.max(titleMatched[alts[a]!.term]!, TITLE_MATCH * alts[a]!.strength);
    }
  }
  const avgLength = part.totalTokens / Math.max(part.setOffsets.length - 1, 1);
  const tf = new Int32Array(alts.length);
  const v0 = part.viewStart[index]!;
  for (let pi = 0; pi < count; pi++) {
    const v = v0 + pi;
    const acc = paragraphs[pi]!;
    const matched = acc.matched;
    for (let i = 0; i < terms; i++) if (titleMatched[i]! > matched[i]!) matched[i] = titleMatched[i]!;
    tf.fill(0);
    const k0 = part.tokOffsets[v]!;
    const k1 = part.tokOffsets[v + 1]!;
    for (let k = k0; k < k1; k++) {
      const key = part.tokKeys[k]!;
      if (bits[key >>> 5]! & (1 << (key & 31)) && stamps[key] === stamp) for (let a = first[key]!; a >= 0; a = next[a]!) tf[a]!++;
    }
    // Tie-break between paragraphs that match alike: BM25 over the paragraph's words.
    let lunrLike = 0;
    for (let a = 0; a < alts.length; a++) {
      const alt = alts[a]!;
      if (tf[a]! > 0) {
        if (alt.strength > matched[alt.term]!) matched[alt.term] = alt.strength;
        lunrLike += (alt.weight * tf[a]! * (K1 + 1)) / (tf[a]! + K1 * (1 - B + (B * (k1 - k0)) / avgLength));
      } else if (inTitle[a]) lunrLike += alt.weight * TITLE_BOOST * 0.5;
    }
    acc.lunr = Math.max(acc.lunr, lunrLike);
  }
}

/**
 * Two languages, one ranking, two stages. A question is looked up through its own words,
 * their synonyms and their translations: first in each segment's lunr index of whole articles
 * (their most distinctive words), then every paragraph of the best articles is scored on all
 * its words from flat arrays, in its original and in its translation, and reranked on
 * coverage and answer type.
 */
export class SegmentRetriever implements PassageRetriever {
  readonly passageCount: number;
  private readonly location = new Map<Article, { segment: Segment; index: number }>();
  /** Per article, its texts folded (title then paragraphs, per language), as far as they were searched. */
  private readonly folded = new LRUCache<Article, string[]>({ max: 256 });
  private readonly views: Record<Lang, number>;
  private readonly vocabulary: Record<Lang, SharedVocabulary>;
  /** Per language, per segment (in `segments`): its part's place in the vocabulary, or -1. */
  private readonly partAt: Record<Lang, Int32Array>;
  /** Per language, the first-stage index over every segment that has the language. */
  private readonly indexes = {} as Record<Lang, { index: ArticleIndex; segments: Segment[] }>;
  /**
   * Per part, key id → the question's first alternative with that key, valid when its stamp
   * is the current query's: the paragraph loop reads two arrays per word instead of a map.
   */
  private readonly slots = new Map<LangPart, Slot>();
  private query = 0;
  /** BROAD_SHARE and WEAK_CLAUSE_SHARE (Infinity and 0: every word is sent to lunr). */
  private readonly broadShare: number;
  private readonly weakClauseShare: number;
  /** WITHIN_ARTICLE_CAP (Infinity: passages ranked by corpus-wide weights alone). */
  private readonly withinCap: number;
  /** The recall net's arrays, per segment, reused by every question. */
  private readonly netWork = new Map<Segment, NetWork>();

  constructor(
    private readonly segments: readonly Segment[],
    options: { broadShare?: number; weakClauseShare?: number; withinArticleCap?: number } = {},
  ) {
    this.broadShare = options.broadShare ?? BROAD_SHARE;
    this.weakClauseShare = options.weakClauseShare ?? WEAK_CLAUSE_SHARE;
    this.withinCap = options.withinArticleCap ?? WITHIN_ARTICLE_CAP;
    this.passageCount = segments.reduce((n, s) => n + s.passages, 0);
    for (const segment of segments) segment.articles.forEach((article, index) => this.location.set(article, { segment, index }));
    this.vocabulary = {} as Record<Lang, SharedVocabulary>;
    this.partAt = {} as Record<Lang, Int32Array>;
    for (const lang of LANGS) {
      // The vocabulary's parts and the first stage's, in one order: a key's ids serve both.
      const parts = segments.flatMap((s) => (s.parts[lang] ? [{ segment: s, part: s.parts[lang] }] : []));
      const vocabulary = (this.vocabulary[lang] = new SharedVocabulary(parts.map((p) => p.part)));
      this.indexes[lang] = { index: new ArticleIndex(parts.map((p) => p.part), (key) => vocabulary.entry(key).ids), segments: parts.map((p) => p.segment) };
      this.partAt[lang] = Int32Array.from(segments, (s) => (s.parts[lang] ? vocabulary.indexOf(s.parts[lang]) : -1));
    }
    this.views = Object.fromEntries(LANGS.map((l) => [l, segments.reduce((n, s) => n + (s.parts[l]?.setOffsets.length ?? 1) - 1, 0)])) as Record<Lang, number>;
  }

  /**
   * The recall net: the articles with the most weight of the question's words (each word
   * once, by its best alternative, in either language), and the best of those that show the
   * kind of answer asked for, where indexing flags it ("quelles applications…" looks among
   * articles that list names). Only articles that hold at least as much of the question as
   * the best of lunr's `chosen` (of that kind) are added: when lunr found its articles, the
   * net adds nothing to read. When lunr was not asked (every word broad), the net's best are
   * the only articles read.
   *
   * That bar is also what keeps the net cheap (as MaxScore does in search engines): the
   * broadest words, whose weights together stay under it, cannot bring an article there by
   * themselves, so only articles holding one of the other words are candidates, and the
   * broad words' postings (thousands of articles each) are only probed for those.
   */
  private recallNet(plan: QueryPlan, weights: number[], chosen: ReadonlyMap<Article, { segment: Segment; index: number }>): [Article, { segment: Segment; index: number }][] {
    const flag = typeFlag(plan.type);
    // Per segment, per term: its alternatives' postings (ranges of keyArticles), with strengths.
    const postingsOf = this.netPostings(plan);
    const segmentIndex = new Map(this.segments.map((s, i) => [s, i]));
    let bar = 0;
    let typedBar = 0;
    for (const { segment, index } of chosen.values()) {
      const c = coverOf(postingsOf[segmentIndex.get(segment)!]!, weights, index);
      bar = Math.max(bar, c);
      if (flag && this.netWorkOf(segment).types[index]! & flag) typedBar = Math.max(typedBar, c);
    }
    // Nothing under `floor` is ever offered: the broadest terms whose best weights sum below
    // it are only probed (with a margin for the sums' rounding).
    const floor = flag ? Math.min(bar, typedBar) : bar;
    const sizes = plan.terms.map((_, i) => postingsOf.reduce((n, lists) => n + lists[i]!.reduce((m, p) => m + p.to - p.from, 0), 0));
    // Each term's best weight, its best alternative's strength in any segment.
    const maxes = plan.terms.map(() => 0);
    for (const lists of postingsOf) for (let i = 0; i < lists.length; i++) for (const p of lists[i]!) maxes[i] = Math.max(maxes[i]!, p.strength);
    for (let i = 0; i < maxes.length; i++) maxes[i] = weights[i]! * maxes[i]!;
    const probed = plan.terms.map(() => false);
    let under = 0;
    for (const i of plan.terms.map((_, i) => i).sort((x, y) => sizes[y]! - sizes[x]!)) {
      if ((under + maxes[i]!) * (1 + 1e-9) >= floor) break;
      under += maxes[i]!;
      probed[i] = true;
    }

    // Without lunr's articles (every word broad), the net reads as many as lunr would have.
    const best = new TopK<{ segment: Segment; index: number }>(chosen.size > 0 ? COVERAGE_CANDIDATES : ARTICLE_CANDIDATES);
    const typed = new TopK<{ segment: Segment; index: number }>(TYPED_CANDIDATES);
    for (let s = 0; s < this.segments.length; s++) {
      const segment = this.segments[s]!;
      const work = this.netWorkOf(segment);
      const candidates = coverSegment(postingsOf[s]!, probed, weights, work, segment.articles.length);
      // Thousands of candidates in a segment: one plain loop, nothing called for most.
      const { cover, types } = work;
      for (let k = 0; k < candidates.length; k++) {
        const a = candidates[k]!;
        const c = cover[a]!;
        if (c <= 0) continue;
        if (c >= bar) best.offer(c, { segment, index: a });
        if (flag && c >= typedBar && types[a]! & flag) typed.offer(c, { segment, index: a });
      }
    }
    return [...best.items(), ...typed.items()].map((at) => [at.segment.articles[at.index]!, at]);
  }

  /** A segment's recall-net arrays, made at its first question and kept (less garbage, fewer pauses). */
  private netWorkOf(segment: Segment): NetWork {
    let work = this.netWork.get(segment);
    if (!work) {
      const n = segment.articles.length;
      // Read from the parts' arrays in one loop per language: at a process's first questions,
      // a call per article (10,000) ran interpreted (3 ms).
      const types = new Int32Array(n);
      for (const lang of LANGS) {
        const flags = segment.parts[lang]?.articleTypes;
        if (flags) for (let a = 0; a < n; a++) types[a]! |= flags[a]!;
      }
      work = { types, candidate: new Uint8Array(n), cover: new Float64Array(n), strength: new Float64Array(n), seen: new Int32Array(n), hits: new Int32Array(n) };
      this.netWork.set(segment, work);
    }
    return work;
  }

  /**
   * Per segment, per term: the postings of each of the term's alternatives the segment has
   * (by language, then in the alternatives' order). Each key is looked up once, for all segments.
   */
  private netPostings(plan: QueryPlan): NetPostings[][][] {
    const out = this.segments.map(() => plan.terms.map((): NetPostings[] => []));
    plan.terms.forEach((t, i) => {
      for (const lang of LANGS) {
        const vocabulary = this.vocabulary[lang];
        const partAt = this.partAt[lang];
        t.alts[lang].forEach((strength, key) => {
          const { ids } = vocabulary.entry(key);
          for (let s = 0; s < partAt.length; s++) {
            const id = partAt[s]! < 0 ? -1 : ids[partAt[s]!]!;
            if (id < 0) continue;
            const part = this.segments[s]!.parts[lang]!;
            out[s]![i]!.push(new NetPostings(part, part.keyArticleOffsets[id]!, part.keyArticleOffsets[id + 1]!, strength));
          }
        });
      }
    });
    return out;
  }

  /** How many paragraphs readable in `lang` hold `key`. */
  documentFrequency(lang: Lang, key: string): number {
    return this.vocabulary[lang].documentFrequency(key);
  }

  private idIn(part: LangPart, key: string): number {
    return this.vocabulary[part.lang].idIn(part, key);
  }

  /** Informativeness of each question word, from how many passages hold it. */
  weightsOf(plan: QueryPlan): number[] {
    const n = Math.max(this.passageCount, 1);
    return plan.terms.map((t) => {
      if (t.common) return COMMON_WEIGHT;
      let df = 0;
      for (const lang of LANGS) {
        t.alts[lang].forEach((strength, key) => {
          if (strength >= 0.75) df = Math.max(df, this.documentFrequency(lang, key));
        });
      }
      return Math.log(1 + n / Math.max(df, 0.5)) * (t.focus ? FOCUS_WEIGHT : 1);
    });
  }

  retrieve(plan: QueryPlan, limit = 10): Retrieval {
    // In stages of their own, each a small function: V8 compiles small functions to optimized
    // code within the first questions of a process, where one function of every stage took
    // its background compiler 0.6 s and was not ready before a CLI run had ended.
    const weights = this.weightsOf(plan);
    const queryKeys = Object.fromEntries(LANGS.map((lang) => [lang, new Map<string, number>()])) as Record<Lang, Map<string, number>>;
    plan.terms.forEach((t, i) => {
      for (const lang of LANGS) {
        t.alts[lang].forEach((strength, key) => queryKeys[lang].set(key, Math.max(queryKeys[lang].get(key) ?? 0, strength * weights[i]!)));
      }
    });
    const articles = this.firstStage(queryKeys);
    // A question made only of everyday words ("quelles applications peut-on utiliser pour
    // téléphoner ?") can miss its article among lunr's best, whose documents keep each
    // article's most distinctive words only: the recall net catches it.
    const chosen = new Map<Article, { segment: Segment; index: number }>(articles);
    for (const [article, at] of this.recallNet(plan, weights, chosen)) {
      if (chosen.has(article)) continue;
      chosen.set(article, at);
      articles.push([article, { ...at, score: 0 }]);
    }
    const scorer = new ParagraphScorer(plan, weights, queryKeys, ++this.query, this.vocabulary, this.views, this.slots, this.withinCap);
    const candidates: Candidate[] = [];
    for (const [article, { segment, index }] of articles) scorer.scoreArticle(article, segment, index, candidates);
    scorer.done();
    return { plan, weights, passages: this.rankByEvidence(plan, weights, candidates, limit) };
  }

  /** Stage 1: the best articles, by lunr's scoring of their distinctive words. */
  private firstStage(queryKeys: Record<Lang, Map<string, number>>): [Article, { segment: Segment; index: number; score: number }][] {
    const articleScore = new Map<Article, { segment: Segment; index: number; score: number }>();
    for (const lang of LANGS) {
      if (queryKeys[lang].size === 0) continue;
      const { index, segments } = this.indexes[lang];
      // A word in the documents of a large share of the articles ranks them little and costs
      // lunr a score per article: it is left to the second stage and the recall net, which
      // choose the articles alone when every word is that broad (BROAD_SHARE), and so is a
      // word of little weight beside the question's others (WEAK_CLAUSE_SHARE).
      const articleCount = segments.reduce((n, s) => n + s.articles.length, 0);
      const broad = Math.max(this.broadShare * articleCount, BROAD_FLOOR);
      const vocabulary = this.vocabulary[lang];
      const postings = (key: string) => {
        // The index's segments are the vocabulary's parts, in its order. Counted once per key.
        const entry = vocabulary.entry(key);
        if (entry.firstStagePostings >= 0) return entry.firstStagePostings;
        const { ids } = entry;
        let n = 0;
        for (let p = 0; p < segments.length; p++) {
          const id = ids[p]!;
          const part = segments[p]!.parts[lang]!;
          const t = id < 0 ? -1 : part.lunrIndexOf[id]!;
          if (t >= 0) n += part.postOffsets.body[t + 1]! - part.postOffsets.body[t]! + part.postOffsets.title[t + 1]! - part.postOffsets.title[t]!;
        }
        return (entry.firstStagePostings = n);
      };
      const narrow: [string, number][] = [];
      let strongest = 0;
      for (const [key, boost] of queryKeys[lang]) {
        const n = postings(key);
        if (n > 0 && n <= broad) {
          narrow.push([key, boost]);
          strongest = Math.max(strongest, boost);
        }
      }
      const clauses = narrow.filter(([, boost]) => boost >= this.weakClauseShare * strongest);
      if (clauses.length === 0) continue;
      for (const r of index.search(clauses).slice(0, ARTICLE_CANDIDATES)) {
        const segment = segments[r.part]!;
        const article = segment.articles[r.article]!;
        const seen = articleScore.get(article);
        if (!seen || seen.score < r.score) articleScore.set(article, { segment, index: r.article, score: r.score });
      }
    }
    return [...articleScore.entries()].sort((a, b) => b[1].score - a[1].score).slice(0, ARTICLE_CANDIDATES);
  }

  /**
   * Answer-type evidence is the costly part: candidates are scored best bound first, until
   * no remaining bound can enter the top `limit`.
   */
  private rankByEvidence(plan: QueryPlan, weights: number[], candidates: Candidate[], limit: number): RankedPassage[] {
    candidates.sort((a, b) => b.bound - a.bound || a.paragraph - b.paragraph);
    const informative = informativeWeight(plan, weights);
    const ranked: RankedPassage[] = [];
    const wantedIds = new Map<LangPart, Set<number>>();
    let kth = -Infinity;
    const best: number[] = [];
    for (const c of candidates) {
      if (ranked.length >= limit && c.bound < kth) break;
      let evidence = 0;
      for (const lang of LANGS) {
        const part = c.segment.parts[lang];
        const text = textIn(c.article, c.paragraph, lang);
        if (!part || !text || part.viewStart[c.index]! < 0) continue;
        evidence = Math.max(evidence, typeEvidenceNear(text, plan.type, () => this.anchors(plan, part, part.viewStart[c.index]! + c.paragraph, wantedIds)));
      }
      const matched = zeros(c.matched.length);
      c.matched.forEach((m, i) => (matched[i] = plan.terms[i]!.focus ? Math.max(m, FOCUS_BY_TYPE * evidence) : m));
      const got = weightedSum(matched, weights);
      const gotWithin = weightedSum(matched, c.within);
      ranked.push({
        article: c.article,
        paragraph: c.paragraph,
        coverage: got / totalWeight(plan, weights, informative, matched),
        articleCoverage: c.articleGot / totalWeight(plan, weights, informative, c.articleMatched),
        articleMatched: c.articleMatched,
        typeEvidence: evidence,
        matched,
        lunrScore: c.lunr,
        score: ((gotWithin + ARTICLE_GAIN * c.articleGot) * (1 + TYPE_GAIN * evidence) + 0.01 * c.lunr) * (c.segment.kinds[c.index]![c.paragraph] === 'related' ? RELATED_FACTOR : 1),
      });
      // The `limit` best scores so far, best first: kth is the last once there are that many.
      const score = ranked[ranked.length - 1]!.score;
      let at = Math.min(best.length, limit);
      while (at > 0 && best[at - 1]! < score) at--;
      if (at < limit) {
        best.splice(at, 0, score);
        if (best.length > limit) best.pop();
      }
      if (ranked.length >= limit) kth = best[limit - 1]!;
    }
    ranked.sort((a, b) => b.score - a.score || a.paragraph - b.paragraph);
    return ranked.slice(0, limit);
  }

  /** Where the question's informative words stand in a paragraph (character offsets). */
  private anchors(plan: QueryPlan, part: LangPart, v: number, wantedIds: Map<LangPart, Set<number>>): number[] {
    let ids = wantedIds.get(part);
    if (!ids) {
      ids = new Set();
      const vocabulary = this.vocabulary[part.lang];
      const at = vocabulary.indexOf(part);
      for (const t of plan.terms) {
        if (t.common || t.focus || at < 0) continue;
        for (const k of t.alts[part.lang].keys()) {
          const id = vocabulary.entry(k).ids[at]!;
          if (id >= 0) ids.add(id);
        }
      }
      wantedIds.set(part, ids);
    }
    const out: number[] = [];
    for (let k = part.tokOffsets[v]!; k < part.tokOffsets[v + 1]!; k++) if (ids.has(part.tokKeys[k]!)) out.push(part.tokPos[k]!);
    return out;
  }

  /** Whether an article's title or text, in this language, has the key (for entity checks). */
  private articleHas(article: Article, lang: Lang, key: string): boolean {
    const at = this.location.get(article);
    const part = at?.segment.parts[lang];
    if (!at || !part || part.viewStart[at.index]! < 0) return false;
    const id = this.idIn(part, key);
    if (id < 0) return false;
    if (hasKey(part.titleKeys, part.titleOffsets[at.index]!, part.titleOffsets[at.index + 1]!, id)) return true;
    const v0 = part.viewStart[at.index]!;
    for (let v = v0; v < v0 + at.segment.kinds[at.index]!.length; v++) if (hasKey(part.setKeys, part.setOffsets[v]!, part.setOffsets[v + 1]!, id)) return true;
    return false;
  }

  /**
   * Names in the question the article does not know ("Maroc Telecom", "iPhone"): a question
   * about something the article never mentions is not answered by it, however many other
   * words they share.
   */
  unknownEntities(plan: QueryPlan, article: Article, paragraph?: number): string[] {
    if (plan.entities.length === 0) return [];
    // Texts are folded when first searched, the passage's own paragraph first, where a name
    // the question shares with it usually is: most checks fold one paragraph, not the article.
    let folded = this.folded.get(article);
    if (!folded) this.folded.set(article, (folded = []));
    const count = article.paragraphs.length;
    const order: number[] = [];
    if (paragraph !== undefined) order.push(paragraph);
    for (let p = -1; p < count; p++) if (p !== paragraph) order.push(p);
    const mentions = (needle: string) =>
      LANGS.some((lang, l) =>
        order.some((p) => {
          const slot = l * (count + 1) + p + 1;
          if (folded![slot] === undefined) {
            const text = p < 0 ? titleIn(article, lang) : textIn(article, p, lang);
            folded![slot] = text ? fold(text) : '';
          }
          return folded![slot]!.includes(needle);
        }),
      );
    return plan.entities.filter((entity) => {
      if (mentions(fold(entity))) return false;
      // One word the lexicon translates ("Morocco" → "Maroc") is known through its translation.
      const parts = analyze(entity, plan.lang);
      if (parts.length !== 1) return true;
      const term: QueryTerm | undefined = plan.terms.find((t) => t.key === parts[0]!.key);
      if (!term) return true;
      return !LANGS.some((l) => [...term.alts[l].keys()].some((k) => this.articleHas(article, l, k)));
    });
  }
}
