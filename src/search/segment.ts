import type lunrType from 'lunr';
import type { Article, Paragraph, Translation } from '../corpus/types.js';
import { typeFlags } from '../answer/answer-type.js';
import { keyOf, WordTable } from '../language/analyzer.js';
import { LANGS, type Lang } from '../language/lang.js';
import { lunr } from '../language/stemmers.js';
import { textIn, titleIn } from './passages.js';
import { recencyRanks } from '../corpus/recency.js';
import { KeyTable } from './vocabulary.js';

export const TITLE_BOOST = 1.5;
/**
 * Terms of an article kept in its first-stage (lunr) document: the most distinctive ones
 * (tf·idf) and every title word. Everyday words that every article has would make each query
 * score most of the corpus; the second stage still sees every word of every paragraph.
 */
export const ARTICLE_TERMS = 64;
/** A word in at most this many articles of a segment (or this share of them) is always kept. */
const RARE_ARTICLES = 3;
const RARE_SHARE = 0.02;

const FIELDS = ['body', 'title'] as const;
type Field = (typeof FIELDS)[number];

/**
 * One language's view of a segment, in flat typed arrays (a few bytes per word instead of an
 * object per posting): every paragraph's words in order with their offsets (for "near the
 * question's words"), their sorted set (for matching), each title's set, and the compact lunr
 * article index of the first stage.
 */
export interface LangPart {
  lang: Lang;
  /** Local key id ↔ key. */
  keys: KeyTable;
  /** Per article of the segment, its first view (paragraph) index, or -1 when unreadable in this language. */
  viewStart: Int32Array;
  /** Per view, the range of its words in `tokKeys`/`tokPos`. */
  tokOffsets: Int32Array;
  tokKeys: Int32Array;
  tokPos: Int32Array;
  /** Per view, the range of its sorted distinct keys in `setKeys`. */
  setOffsets: Int32Array;
  setKeys: Int32Array;
  /** Per article, the range of its title's sorted distinct keys. */
  titleOffsets: Int32Array;
  titleKeys: Int32Array;
  /** Per key, how many paragraphs hold it. */
  df: Int32Array;
  /** Per article, the answer types its paragraphs show a strong sign of (answer-type typeFlags). */
  articleTypes: Int32Array;
  /** Per key, the articles whose text holds it: every word, unpruned (the recall net of the first stage). */
  keyArticleOffsets: Int32Array;
  keyArticles: Int32Array;
  /** lunr's term vector index → local key id. */
  lunrTerms: Int32Array;
  /** Per field: per lunr term, the articles whose field holds it. */
  postOffsets: Record<Field, Int32Array>;
  postDocs: Record<Field, Int32Array>;
  /** Per field: per article, its lunr field vector (term index, weight). */
  vecOffsets: Record<Field, Int32Array>;
  vecTerms: Record<Field, Int32Array>;
  vecValues: Record<Field, Float64Array>;
  /** Derived at load: local key id → lunr term index, or -1. */
  lunrIndexOf: Int32Array;
  totalTokens: number;
}

export class Segment {
  /** Paragraphs and translations over the segment's articles. */
  readonly passages: number;
  readonly translations: number;
  /** Per article, its paragraphs' kinds: what ranking needs of an article without its texts. */
  readonly kinds: readonly (readonly Paragraph['kind'][])[];
  /**
   * The articles' positions, newest first (corpus/recency.ts): the newest of a corpus are
   * the first few of each segment, not a pass over every article's date.
   */
  readonly recency: Int32Array;

  constructor(
    readonly key: string,
    readonly articles: Article[],
    readonly parts: Partial<Record<Lang, LangPart>>,
    /** Known without touching the articles' texts, which a loaded segment decodes on demand. */
    known?: { passages: number; translations: number; kinds: Paragraph['kind'][][]; recency: Int32Array },
  ) {
    this.kinds = known?.kinds ?? articles.map((a) => a.paragraphs.map((p) => p.kind));
    this.passages = known?.passages ?? articles.reduce((n, a) => n + a.paragraphs.length, 0);
    this.translations = known?.translations ?? articles.reduce((n, a) => n + Object.keys(a.translations).length, 0);
    this.recency = known?.recency ?? recencyRanks(articles);
  }
}

/** An Int32Array that grows: indexing appends millions of numbers without boxing them. */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(n: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = n;
  }
  /** Append src[from, to) in one copy. */
  append(src: Int32Array, from: number, to: number): void {
    const n = to - from;
    if (this.length + n > this.data.length) {
      const next = new Int32Array(Math.max(this.data.length * 2, this.length + n));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(src.subarray(from, to), this.length);
    this.length += n;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Build one segment from its articles: analysis, flat arrays and the first-stage lunr index. */
/**
 * A segment of these articles. With `previous`, the articles that are its own Article objects
 * (unchanged since) are not analyzed again: their words are copied from it, and only the
 * edited articles are read. A /reload after one edit then costs one article's analysis plus
 * integer work, instead of a whole segment's analysis.
 */
export function buildSegment(key: string, articles: Article[], previous?: Segment): Segment {
  const parts: Partial<Record<Lang, LangPart>> = {};
  const reused = new Map<Article, number>();
  previous?.articles.forEach((a, i) => reused.set(a, i));
  for (const lang of LANGS) {
    const part = buildPart(articles, lang, previous?.parts[lang] && reused.size ? { part: previous.parts[lang], index: reused, kinds: previous.kinds } : undefined);
    if (part) parts[lang] = part;
  }
  return new Segment(key, articles, parts);
}

/**
 * Per thread and language, every word its builds have seen, with its key's number: a thread
 * builds segment after segment of the same language, and a word met before (most are) costs
 * one table lookup, not a stemming memo and a key map. Emptied past WORDS_MAX keys, so that a
 * long-lived reload thread stays bounded.
 */
const WORDS_MAX = 500_000;
interface ThreadWords {
  table: WordTable;
  keys: string[];
  number(key: string): number;
  /** Each key number's place among the keys in code-unit order, for the first `ranked` keys. */
  rankOf: Int32Array;
  ranked: number;
  /** The ranked key numbers, in that order. */
  sorted: Int32Array;
}
const wordsByLang: Partial<Record<Lang, ThreadWords>> = {};
function threadWords(lang: Lang): ThreadWords {
  let words = wordsByLang[lang];
  if (!words || words.keys.length > WORDS_MAX) {
    const keys: string[] = [];
    const numbers = new Map<string, number>();
    const number = (key: string) => {
      let n = numbers.get(key);
      if (n === undefined) {
        n = keys.push(key) - 1;
        numbers.set(key, n);
      }
      return n;
    };
    words = wordsByLang[lang] = {
      keys,
      number,
      table: new WordTable((word) => {
        const key = keyOf(word, lang);
        return key ? number(key) : -1;
      }),
      rankOf: new Int32Array(0),
      ranked: 0,
      sorted: new Int32Array(0),
    };
  }
  return words;
}

/**
 * Ranks the thread's keys met since the last call among all of them: only those are sorted
 * by their strings, then merged. A segment's keys are then put in order by their ranks, a
 * numeric sort: sorting a 10,000-article corpus's segment's 34,000 keys by their strings
 * took about a tenth of its indexing (40 ms of 350).
 */
function rankKeys(words: ThreadWords): void {
  const { keys } = words;
  const n = keys.length;
  const old = words.ranked;
  if (old === n) return;
  const byKey = (x: number, y: number) => (keys[x]! < keys[y]! ? -1 : 1);
  const added = Array.from({ length: n - old }, (_, i) => old + i).sort(byKey);
  const sorted = new Int32Array(n);
  const before = words.sorted;
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) sorted[k] = j >= added.length || (i < old && keys[before[i]!]! < keys[added[j]!]!) ? before[i++]! : added[j++]!;
  const rankOf = new Int32Array(n);
  for (let r = 0; r < n; r++) rankOf[sorted[r]!] = r;
  words.sorted = sorted;
  words.rankOf = rankOf;
  words.ranked = n;
}

type PartReuse = { part: LangPart; index: ReadonlyMap<Article, number>; kinds: Segment['kinds'] };

function buildPart(articles: Article[], lang: Lang, reuse?: PartReuse): LangPart | undefined {
  const builder = new PartBuilder(articles.length, lang, reuse);
  articles.forEach((article, a) => {
    const title = titleIn(article, lang);
    if (title === undefined) builder.skipArticle();
    else builder.addArticle(article, a, title);
  });
  return builder.finish(articles);
}

/**
 * One language's part of a segment, built article by article. A class rather than one
 * function of closures: V8 optimizes each small method as it gets hot, where the single
 * function was compiled again and again (ten times per build thread) as its loops got hot.
 */
class PartBuilder {
  /** Local key id → key. Reusing a part's words keeps its key ids: its vocabulary comes first, in its order. */
  readonly vocab: string[];
  private readonly words: ThreadWords;
  /** Key number (this thread's) → local key id, or -1: ids are given in order of first sight. */
  private localOf: Int32Array;
  /** Local key id → key number. */
  private readonly numbers = new IntList();
  readonly viewStart: Int32Array;
  readonly articleTypes: Int32Array;
  readonly tokKeys = new IntList();
  readonly tokPos = new IntList();
  readonly tokOffsets = new IntList();
  readonly setKeys = new IntList();
  readonly setOffsets = new IntList();
  readonly titleKeys = new IntList();
  readonly titleOffsets = new IntList();
  // Per key id: a stamp (dedupes a paragraph's keys without a Set), paragraph and article counts.
  private stamp: Int32Array;
  private df: Int32Array;
  private articleDf: Int32Array;
  private counts: Int32Array;
  private stampNo = 0;
  /** Per article: its terms and their counts, for the first stage. */
  readonly articleTerms: { ids: Int32Array; tf: Int32Array }[] = [];
  readonly titleTerms: { ids: Int32Array; tf: Int32Array }[] = [];
  views = 0;
  /** The current article's title words, and the key ids it has met so far. */
  private readonly titleTokens = new IntList();
  private readonly touched = new IntList();
  private readonly titleWord: (n: number) => void;
  private readonly paragraphWord: (n: number, start: number) => void;

  constructor(
    count: number,
    readonly lang: Lang,
    private readonly reuse?: PartReuse,
  ) {
    this.vocab = reuse ? Array.from({ length: reuse.part.keys.size }, (_, id) => reuse.part.keys.key(id)) : [];
    this.words = threadWords(lang);
    this.localOf = new Int32Array(Math.max(this.words.keys.length, 1024) * 2).fill(-1);
    this.viewStart = new Int32Array(count).fill(-1);
    this.articleTypes = new Int32Array(count);
    const capacity = Math.max(4096, this.vocab.length * 2);
    this.stamp = new Int32Array(capacity).fill(-1);
    this.df = new Int32Array(capacity);
    this.articleDf = new Int32Array(capacity);
    this.counts = new Int32Array(capacity);
    // A reused part's keys keep their ids.
    this.vocab.forEach((key, id) => {
      const n = this.words.number(key);
      if (n >= this.localOf.length) this.localOf = grow(this.localOf, -1, Math.max(this.localOf.length * 2, n + 1));
      this.localOf[n] = id;
      this.numbers.push(n);
    });
    this.titleWord = (n) => this.titleTokens.push(this.idOf(n));
    this.paragraphWord = (n, start) => {
      const id = this.idOf(n);
      this.tokKeys.push(id);
      this.tokPos.push(start);
      if (this.counts[id]!++ === 0) this.touched.push(id);
    };
  }

  private idOf(n: number): number {
    if (n >= this.localOf.length) this.localOf = grow(this.localOf, -1, Math.max(this.localOf.length * 2, n + 1));
    let id = this.localOf[n]!;
    if (id < 0) {
      id = this.vocab.length;
      this.vocab.push(this.words.keys[n]!);
      this.numbers.push(n);
      this.localOf[n] = id;
      if (id >= this.stamp.length) {
        this.stamp = grow(this.stamp, -1);
        this.df = grow(this.df, 0);
        this.articleDf = grow(this.articleDf, 0);
        this.counts = grow(this.counts, 0);
      }
    }
    return id;
  }

  /** keys[from, to) once each, sorted, appended to `out`; `countNew` counts them in df. */
  private uniqueSorted(from: number, to: number, keys: Int32Array, out: IntList, countNew: boolean): void {
    const no = this.stampNo++;
    const start = out.length;
    const stamp = this.stamp;
    for (let i = from; i < to; i++) {
      const id = keys[i]!;
      if (stamp[id] === no) continue;
      stamp[id] = no;
      out.push(id);
      if (countNew) this.df[id]!++;
    }
    out.data.subarray(start, out.length).sort();
  }

  /** An article with no title in this language: not readable in it. */
  skipArticle(): void {
    this.titleOffsets.push(this.titleKeys.length);
    this.articleTerms.push({ ids: new Int32Array(0), tf: new Int32Array(0) });
    this.titleTerms.push({ ids: new Int32Array(0), tf: new Int32Array(0) });
  }

  addArticle(article: Article, a: number, title: string): void {
    this.titleOffsets.push(this.titleKeys.length);
    this.addTitle(title, a);
    this.viewStart[a] = this.views;
    this.touched.length = 0;
    // An unchanged article: its words as the previous part holds them (same ids).
    const reuse = this.reuse;
    const old = reuse?.index.get(article);
    const oldView = old === undefined ? -1 : reuse!.part.viewStart[old]!;
    if (oldView >= 0) {
      this.articleTypes[a] = reuse!.part.articleTypes[old!]!;
      this.copyParagraphs(reuse!.part, oldView, reuse!.kinds[old!]!.length);
    } else {
      // A reused article's paragraph count is known without decoding its texts.
      this.addParagraphs(article, a, old !== undefined ? reuse!.kinds[old]!.length : article.paragraphs.length);
    }
    this.countArticle();
  }

  private addParagraphs(article: Article, a: number, count: number): void {
    for (let p = 0; p < count; p++) {
      this.tokOffsets.push(this.tokKeys.length);
      this.setOffsets.push(this.setKeys.length);
      this.addParagraph(textIn(article, p, this.lang) ?? '', a);
      this.views++;
    }
  }

  private copyParagraphs(part: LangPart, oldView: number, count: number): void {
    for (let p = 0; p < count; p++) {
      this.tokOffsets.push(this.tokKeys.length);
      this.setOffsets.push(this.setKeys.length);
      this.copyParagraph(part, oldView + p);
      this.views++;
    }
  }

  /** The article's terms and counts, from the words its paragraphs added. */
  private countArticle(): void {
    const termIds = this.touched.toArray();
    const tf = new Int32Array(termIds.length);
    const counts = this.counts;
    for (let i = 0; i < termIds.length; i++) tf[i] = counts[termIds[i]!]!;
    for (const id of termIds) {
      counts[id] = 0;
      this.articleDf[id]!++;
    }
    this.articleTerms.push({ ids: termIds, tf });
  }

  private addTitle(title: string, a: number): void {
    const tokens = this.titleTokens;
    tokens.length = 0;
    this.words.table.forEach(title, this.titleWord);
    this.uniqueSorted(0, tokens.length, tokens.data, this.titleKeys, false);
    const titleCounts = new Map<number, number>();
    for (let i = 0; i < tokens.length; i++) titleCounts.set(tokens.data[i]!, (titleCounts.get(tokens.data[i]!) ?? 0) + 1);
    this.titleTerms[a] = { ids: Int32Array.from(titleCounts.keys()), tf: Int32Array.from(titleCounts.values()) };
  }

  private addParagraph(text: string, a: number): void {
    const from = this.tokKeys.length;
    this.words.table.forEach(text, this.paragraphWord);
    this.articleTypes[a] = this.articleTypes[a]! | typeFlags(text);
    this.uniqueSorted(from, this.tokKeys.length, this.tokKeys.data, this.setKeys, true);
  }

  /** Copied whole: the words, their places and their sorted set (same ids). */
  private copyParagraph(part: LangPart, v: number): void {
    const { tokOffsets: offsets, tokKeys: keys, tokPos: positions, setOffsets: sets, setKeys: set } = part;
    const k0 = offsets[v]!;
    const k1 = offsets[v + 1]!;
    this.tokKeys.append(keys, k0, k1);
    this.tokPos.append(positions, k0, k1);
    const counts = this.counts;
    for (let k = k0; k < k1; k++) if (counts[keys[k]!]!++ === 0) this.touched.push(keys[k]!);
    const s0 = sets[v]!;
    const s1 = sets[v + 1]!;
    this.setKeys.append(set, s0, s1);
    const df = this.df;
    for (let k = s0; k < s1; k++) df[set[k]!]!++;
  }

  /** The local key ids in the order of their keys (code-unit order), from the thread's ranks. */
  private keyOrder(): Int32Array {
    rankKeys(this.words);
    const { rankOf } = this.words;
    const count = this.vocab.length;
    const ranks = new Int32Array(count);
    const idOfRank = new Int32Array(rankOf.length);
    for (let id = 0; id < count; id++) {
      const r = rankOf[this.numbers.data[id]!]!;
      ranks[id] = r;
      idOfRank[r] = id;
    }
    ranks.sort();
    for (let k = 0; k < count; k++) ranks[k] = idOfRank[ranks[k]!]!;
    return ranks;
  }

  /** The part's arrays, its first-stage documents and its recall-net postings. */
  finish(articles: Article[]): LangPart | undefined {
    if (this.views === 0) return undefined;
    const { vocab, viewStart, articleDf, articleTerms } = this;
    this.tokOffsets.push(this.tokKeys.length);
    this.setOffsets.push(this.setKeys.length);
    this.titleOffsets.push(this.titleKeys.length);

    // First stage: one lunr document per article readable in this language, of its most
    // distinctive words (by tf·idf) and its title, weighted as lunr.Builder weighs them.
    const readable = articles.filter((_, a) => viewStart[a]! >= 0).length;
    const rare = Math.max(RARE_ARTICLES, Math.ceil(RARE_SHARE * readable));
    const docs: Record<Field, { ids: Int32Array; tf: Int32Array }[]> = { body: [], title: [] };
    const keys = KeyTable.of(vocab, this.reuse?.part.keys, this.keyOrder());
    // Ties go by key, not id, so an incremental build (other ids) keeps the same words.
    const rank = new Int32Array(vocab.length);
    keys.order.forEach((id, r) => (rank[id] = r));
    articles.forEach((_, a) => {
      if (viewStart[a]! < 0) {
        for (const f of FIELDS) docs[f].push({ ids: new Int32Array(0), tf: new Int32Array(0) });
        return;
      }
      const { ids: termIds, tf } = articleTerms[a]!;
      docs.body.push(distinctive(termIds, tf, articleDf, readable, rare, rank));
      docs.title.push(this.titleTerms[a]!);
    });
    // Every word's articles, by counting sort (articles come out in order).
    const keyArticleOffsets = new Int32Array(vocab.length + 1);
    for (let id = 0; id < vocab.length; id++) keyArticleOffsets[id + 1] = keyArticleOffsets[id]! + articleDf[id]!;
    const keyArticles = new Int32Array(keyArticleOffsets[vocab.length]!);
    const fillAt = keyArticleOffsets.slice(0, vocab.length);
    articleTerms.forEach(({ ids: termIds }, a) => {
      for (const id of termIds) keyArticles[fillAt[id]!++] = a;
    });
    const stage = lunrVectors(docs, readable, (a) => viewStart[a]! >= 0, vocab.length);
    return completePart({
      lang: this.lang,
      keys,
      viewStart,
      tokOffsets: this.tokOffsets.toArray(),
      tokKeys: this.tokKeys.toArray(),
      tokPos: this.tokPos.toArray(),
      setOffsets: this.setOffsets.toArray(),
      setKeys: this.setKeys.toArray(),
      titleOffsets: this.titleOffsets.toArray(),
      titleKeys: this.titleKeys.toArray(),
      df: this.df.slice(0, vocab.length),
      articleTypes: this.articleTypes,
      keyArticleOffsets,
      keyArticles,
      ...stage,
    });
  }
}

/** A copy of `a`, `size` long, the rest filled with `fill`. */
function grow(a: Int32Array, fill: number, size = a.length * 2): Int32Array {
  const b = new Int32Array(size).fill(fill);
  b.set(a);
  return b;
}

/**
 * The terms an article keeps in its first-stage document, with their counts: its
 * ARTICLE_TERMS best by tf·idf (ties by key rank) and every rare one (in at most `rare`
 * articles), in their order. Rare words
 * stay whatever their rank: their postings are short, and a question that names one
 * ("internautes") must find the one article that has it. The cut is
 * found by sorting the weights alone, natively: a comparator sort per article was most of a
 * segment's indexing time.
 */
function distinctive(ids: Int32Array, tf: Int32Array, articleDf: Int32Array, readable: number, rare: number, rank: Int32Array): { ids: Int32Array; tf: Int32Array } {
  const n = ids.length;
  if (n <= ARTICLE_TERMS) return { ids: ids.slice(), tf: tf.slice() };
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) weight[i] = tf[i]! * Math.log(1 + readable / articleDf[ids[i]!]!);
  const cut = weight.slice().sort()[n - ARTICLE_TERMS]!;
  let above = 0;
  const tied: number[] = [];
  for (let i = 0; i < n; i++) {
    if (weight[i]! > cut) above++;
    else if (weight[i] === cut) tied.push(i);
  }
  tied.sort((x, y) => rank[ids[x]!]! - rank[ids[y]!]!);
  const keep = new Uint8Array(n);
  for (let k = 0; k < Math.min(tied.length, ARTICLE_TERMS - above); k++) keep[tied[k]!] = 1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (weight[i]! > cut || keep[i] || articleDf[ids[i]!]! <= rare) {
      keep[i] = 1;
      count++;
    }
  }
  const out = { ids: new Int32Array(count), tf: new Int32Array(count) };
  for (let i = 0, k = 0; i < n; i++) {
    if (!keep[i]) continue;
    out.ids[k] = ids[i]!;
    out.tf[k++] = tf[i]!;
  }
  return out;
}

/** lunr's BM25 constants (lunr.Builder defaults); the second stage's tie-break uses them too. */
export const K1 = 1.2;
export const B = 0.75;
const FIELD_BOOST: Record<Field, number> = { body: 1, title: TITLE_BOOST };

/**
 * The postings and field vectors lunr.Builder would produce for these documents (same
 * formulas: its idf, BM25 with k1 = 1.2 and b = 0.75, field boosts, three decimals; a test
 * checks them against lunr.Builder), computed from counts in flat arrays: lunr.Builder keeps
 * an object per posting and takes about a millisecond per article.
 */
export function lunrVectors(
  docs: Record<Field, { ids: Int32Array; tf: Int32Array }[]>,
  documentCount: number,
  isDocument: (doc: number) => boolean,
  vocabSize: number,
): Pick<LangPart, 'lunrTerms' | 'postOffsets' | 'postDocs' | 'vecOffsets' | 'vecTerms' | 'vecValues'> {
  // In phases of their own, each a small function: in one function, V8 compiled each of its
  // loops apart as it got hot, and again when the next loop found no type feedback (a dozen
  // compilations per build thread, a tenth of a build's time on two cores).
  const isDoc = Uint8Array.from({ length: docs.body.length }, (_, d) => (isDocument(d) ? 1 : 0));
  const counts = countLunrTerms(docs, isDoc, vocabSize);
  const idf = Float64Array.from(counts.withTerm.toArray(), (dwt) => Math.log(1 + Math.abs((documentCount - dwt + 0.5) / (dwt + 0.5))));
  const out = { lunrTerms: counts.terms.toArray() } as ReturnType<typeof lunrVectors>;
  (out as { postOffsets: object }).postOffsets = {};
  (out as { postDocs: object }).postDocs = {};
  (out as { vecOffsets: object }).vecOffsets = {};
  (out as { vecTerms: object }).vecTerms = {};
  (out as { vecValues: object }).vecValues = {};
  const scoreOf = new Float64Array(counts.terms.length);
  for (const f of FIELDS) {
    const field = fieldPostings(docs[f], f, counts, idf, documentCount, isDoc, scoreOf);
    out.postOffsets[f] = field.postOffsets;
    out.postDocs[f] = field.postDocs;
    out.vecOffsets[f] = field.vecOffsets;
    out.vecTerms[f] = field.vecTerms;
    out.vecValues[f] = field.vecValues;
  }
  return out;
}

interface LunrTermCounts {
  /** Key id → lunr term index, or -1. */
  lunrIndexOf: Int32Array;
  /** Per term index, its key id. */
  terms: IntList;
  /** Per field, per term index, how many documents have it in that field. */
  postCount: Record<Field, IntList>;
  /** Per term index, how many (document, field) pairs have it. */
  withTerm: IntList;
  /** Per field, the sum of the documents' lengths. */
  lengthSum: Record<Field, number>;
}

/** Term indexes in order of first appearance, as lunr.Builder numbers them, with their counts. */
function countLunrTerms(docs: Record<Field, { ids: Int32Array; tf: Int32Array }[]>, isDoc: Uint8Array, vocabSize: number): LunrTermCounts {
  const n = docs.body.length;
  const counts: LunrTermCounts = {
    lunrIndexOf: new Int32Array(vocabSize).fill(-1),
    terms: new IntList(),
    postCount: { body: new IntList(), title: new IntList() },
    withTerm: new IntList(),
    lengthSum: { body: 0, title: 0 },
  };
  for (let d = 0; d < n; d++) {
    if (!isDoc[d]) continue;
    for (const f of FIELDS) countDocument(docs[f][d]!, f, counts);
  }
  return counts;
}

function countDocument({ ids, tf }: { ids: Int32Array; tf: Int32Array }, f: Field, counts: LunrTermCounts): void {
  const { lunrIndexOf, terms, postCount, withTerm } = counts;
  let length = 0;
  for (let i = 0; i < ids.length; i++) {
    let t = lunrIndexOf[ids[i]!]!;
    if (t < 0) {
      t = lunrIndexOf[ids[i]!] = terms.length;
      terms.push(ids[i]!);
      postCount.body.push(0);
      postCount.title.push(0);
      withTerm.push(0);
    }
    postCount[f].data[t]!++;
    withTerm.data[t]!++;
    length += tf[i]!;
  }
  counts.lengthSum[f] += length;
}

/** One field's postings (documents per term) and BM25 vectors (terms per document). */
function fieldPostings(
  docs: { ids: Int32Array; tf: Int32Array }[],
  f: Field,
  counts: LunrTermCounts,
  idf: Float64Array,
  documentCount: number,
  isDoc: Uint8Array,
  scoreOf: Float64Array,
): { postOffsets: Int32Array; postDocs: Int32Array; vecOffsets: Int32Array; vecTerms: Int32Array; vecValues: Float64Array } {
  const n = docs.length;
  const termCount = counts.terms.length;
  const postCount = counts.postCount[f].data;
  const offsets = new Int32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) offsets[t + 1] = offsets[t]! + postCount[t]!;
  const fill = offsets.slice(0, termCount);
  const postDocs = new Int32Array(offsets[termCount]!);
  const vecOffsets = new Int32Array(n + 1);
  const vecTerms = new IntList();
  const vecValues: number[] = [];
  const avg = counts.lengthSum[f] / Math.max(documentCount, 1);
  const boost = FIELD_BOOST[f];
  for (let d = 0; d < n; d++) {
    vecOffsets[d] = vecTerms.length;
    if (!isDoc[d]) continue;
    documentVector(docs[d]!, d, counts.lunrIndexOf, idf, avg, boost, fill, postDocs, scoreOf, vecTerms, vecValues);
  }
  vecOffsets[n] = vecTerms.length;
  return { postOffsets: offsets, postDocs, vecOffsets, vecTerms: vecTerms.toArray(), vecValues: Float64Array.from(vecValues) };
}

/** A document's postings, and its vector in term order (the terms sorted natively, their scores by term). */
function documentVector(
  { ids, tf }: { ids: Int32Array; tf: Int32Array },
  d: number,
  lunrIndexOf: Int32Array,
  idf: Float64Array,
  avg: number,
  boost: number,
  fill: Int32Array,
  postDocs: Int32Array,
  scoreOf: Float64Array,
  vecTerms: IntList,
  vecValues: number[],
): void {
  let length = 0;
  for (let i = 0; i < ids.length; i++) length += tf[i]!;
  const inOrder = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const t = lunrIndexOf[ids[i]!]!;
    postDocs[fill[t]!++] = d;
    const score = ((idf[t]! * ((K1 + 1) * tf[i]!)) / (K1 * (1 - B + B * (length / avg)) + tf[i]!)) * boost;
    scoreOf[t] = Math.round(score * 1000) / 1000;
    inOrder[i] = t;
  }
  inOrder.sort();
  for (let i = 0; i < inOrder.length; i++) {
    const t = inOrder[i]!;
    vecTerms.push(t);
    vecValues.push(scoreOf[t]!);
  }
}

type StoredPart = Omit<LangPart, 'lunrIndexOf' | 'totalTokens'>;

/**
 * The derived fields of a part (typed arrays only: a key → id map is built per snapshot, for
 * all segments at once). Every property is named, in one order, per-field records included:
 * parts made by spreading got other hidden classes once V8's copying cache changed (the
 * tenth segment of a load on), and code optimized for the first parts was thrown away for
 * the next ones.
 */
export function completePart(s: StoredPart): LangPart {
  const lunrIndexOf = new Int32Array(s.keys.size).fill(-1);
  s.lunrTerms.forEach((keyId, i) => (lunrIndexOf[keyId] = i));
  return {
    lang: s.lang,
    keys: s.keys,
    viewStart: s.viewStart,
    tokOffsets: s.tokOffsets,
    tokKeys: s.tokKeys,
    tokPos: s.tokPos,
    setOffsets: s.setOffsets,
    setKeys: s.setKeys,
    titleOffsets: s.titleOffsets,
    titleKeys: s.titleKeys,
    df: s.df,
    articleTypes: s.articleTypes,
    keyArticleOffsets: s.keyArticleOffsets,
    keyArticles: s.keyArticles,
    lunrTerms: s.lunrTerms,
    postOffsets: { body: s.postOffsets.body, title: s.postOffsets.title },
    postDocs: { body: s.postDocs.body, title: s.postDocs.title },
    vecOffsets: { body: s.vecOffsets.body, title: s.vecOffsets.title },
    vecTerms: { body: s.vecTerms.body, title: s.vecTerms.title },
    vecValues: { body: s.vecValues.body, title: s.vecValues.title },
    lunrIndexOf,
    totalTokens: s.tokKeys.length,
  };
}

/**
 * The first-stage index of one language over several segments: a lunr.Index whose postings
 * and field vectors are read from the segments' flat arrays when a query asks for them.
 * lunr's own query code scores the articles, without an object per posting (which is what
 * makes a plain lunr index of 10,000 articles weigh gigabytes), and in one query for all the
 * segments (lunr's cost is mostly per query word: one query per segment multiplied it).
 * Each article keeps the weights its own segment gave it; a result's ref is "segment:article",
 * the segment being its position in `parts`.
 */
export class ArticleIndex {
  private readonly index: lunrType.Index;
  /** The current query's keys, in order: a key's position is its lunr term index. */
  private keys: string[] = [];
  private position = new Map<string, number>();
  /** Per part, per position: the key's local lunr term index there, or -1. */
  private local: Int32Array[] = [];

  constructor(
    private readonly parts: readonly LangPart[],
    /** A key's id in each of `parts` (-1 where absent), in their order. */
    private readonly idsOf: (key: string) => Int32Array,
  ) {
    // lunr only reads a posting's metadata (its keys, none here): one empty object serves all,
    // and each article's ref string is made once, not once per query word that finds it.
    const noMetadata = Object.freeze(Object.create(null) as object);
    const refs = this.parts.map(() => [] as string[]);
    const posting = (term: string) => {
      const g = this.position.get(term);
      if (g === undefined) return undefined;
      const out: Record<string, unknown> = { _index: g };
      for (const f of FIELDS) {
        const docs: Record<string, object> = Object.create(null);
        this.parts.forEach((part, p) => {
          const t = this.local[p]![g]!;
          if (t < 0) return;
          const partRefs = refs[p]!;
          for (let i = part.postOffsets[f][t]!; i < part.postOffsets[f][t + 1]!; i++) {
            const doc = part.postDocs[f][i]!;
            docs[(partRefs[doc] ??= `${p}:${doc}`)] = noMetadata;
          }
        });
        out[f] = docs;
      }
      return out;
    };
    const invertedIndex = new Proxy(Object.create(null) as object, {
      get: (_, term) => (typeof term === 'string' ? posting(term) : undefined),
      has: (_, term) => typeof term === 'string' && this.position.has(term),
    });
    const fieldVectors = new Proxy(Object.create(null) as object, {
      get: (_, fieldRef) => (typeof fieldRef === 'string' ? this.fieldVector(fieldRef) : undefined),
    });
    // lunr expands each query term through its token set; ours are exact keys (no wildcard or
    // fuzzy clause is ever built), so the expansion is a membership test.
    const tokenSet = {
      intersect: (query: lunrType.TokenSet) => {
        const found = query.toArray().filter((t) => this.position.has(t));
        return { toArray: () => found };
      },
    };
    this.index = new lunr.Index({
      invertedIndex,
      fieldVectors,
      tokenSet,
      fields: [...FIELDS],
      pipeline: new lunr.Pipeline(),
    } as unknown as lunrType.Index.Attributes);
  }

  /**
   * An article's field vector, cut down to the query's terms. lunr scores a match as the dot
   * product of the query vector and this one over the query vector's magnitude: terms outside
   * the query add nothing to it, so the score is the same, without copying a hundred weights
   * per matching article.
   */
  private fieldVector(fieldRef: string): lunrType.Vector | undefined {
    const slash = fieldRef.indexOf('/');
    const colon = fieldRef.indexOf(':', slash);
    const f = fieldRef.slice(0, slash) as Field;
    const p = Number(fieldRef.slice(slash + 1, colon));
    const a = Number(fieldRef.slice(colon + 1));
    const part = this.parts[p];
    const offsets = part?.vecOffsets[f];
    if (!part || !offsets || !(a >= 0 && a < offsets.length - 1)) return undefined;
    const terms = part.vecTerms[f];
    const values = part.vecValues[f];
    const local = this.local[p]!;
    const elements: number[] = [];
    const start = offsets[a]!;
    const end = offsets[a + 1]!;
    for (let g = 0; g < local.length; g++) {
      const t = local[g]!;
      if (t < 0) continue;
      let lo = start;
      let hi = end - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (terms[mid]! < t) lo = mid + 1;
        else hi = mid - 1;
      }
      if (lo < end && terms[lo] === t) elements.push(g, values[lo]!);
    }
    return new lunr.Vector(elements);
  }

  /**
   * lunr's query over these articles: each key a clause with its boost, no pipeline. Keys
   * no segment has are left out (no clause at all would make lunr return every article).
   */
  search(clauses: readonly (readonly [key: string, boost: number])[]): { part: number; article: number; score: number }[] {
    this.keys = [];
    this.position = new Map();
    this.local = this.parts.map(() => new Int32Array(0));
    const locals: number[][] = this.parts.map(() => []);
    for (const [key] of clauses) {
      if (this.position.has(key)) continue;
      const ids = this.idsOf(key);
      const terms = this.parts.map((part, p) => {
        const id = ids[p]!;
        return id < 0 ? -1 : part.lunrIndexOf[id]!;
      });
      if (terms.every((t) => t < 0)) continue;
      this.position.set(key, this.keys.length);
      this.keys.push(key);
      terms.forEach((t, p) => locals[p]!.push(t));
    }
    if (this.keys.length === 0) return [];
    this.local = locals.map((l) => Int32Array.from(l));
    const present = clauses.filter(([key]) => this.position.has(key));
    return this.index
      .query((q) => {
        for (const [key, boost] of present) q.term(key, { usePipeline: false, boost });
      })
      .map((r) => {
        const colon = r.ref.indexOf(':');
        return { part: Number(r.ref.slice(0, colon)), article: Number(r.ref.slice(colon + 1)), score: r.score };
      });
  }
}

// ---- serialization: a JSON header (articles, vocabularies, array layout) and raw typed arrays

const MAGIC = 'QASEG007';
/** The magic, the header's length and the texts' length (a reader can stop where they start). */
export const PRELUDE = MAGIC.length + 8;
const ARRAY_NAMES = ['viewStart', 'tokOffsets', 'tokKeys', 'tokPos', 'setOffsets', 'setKeys', 'titleOffsets', 'titleKeys', 'df', 'articleTypes', 'keyArticleOffsets', 'keyArticles', 'lunrTerms'] as const;
const FIELD_ARRAYS = ['postOffsets', 'postDocs', 'vecOffsets', 'vecTerms', 'vecValues'] as const;

interface ArraySpec {
  name: string;
  type: 'i32' | 'f64';
  offset: number;
  length: number;
}

export function serializeSegment(segment: Segment): Buffer {
  const chunks: { spec: ArraySpec; data: Int32Array | Float64Array }[] = [];
  let offset = 0;
  const add = (name: string, data: Int32Array | Float64Array) => {
    chunks.push({ spec: { name, type: data instanceof Float64Array ? 'f64' : 'i32', offset, length: data.length }, data });
    offset += Math.ceil(data.byteLength / 8) * 8;
  };
  const langs: SegmentHeader['langs'] = {};
  const keyBytes: Buffer[] = [];
  for (const lang of LANGS) {
    const part = segment.parts[lang];
    if (!part) continue;
    // The keys as one string with offsets (JSON-parsing hundreds of thousands of short
    // strings took a warm start a tenth of a second), and beside the JSON rather than in it:
    // 3.7 MB of keys over 10,000 articles, mostly ASCII, are then copied as Latin-1 rather
    // than decoded and parsed (35–40 ms of a warm start).
    const keyEncoding = isLatin1(part.keys.text) ? 'latin1' : 'utf8';
    const bytes = Buffer.from(part.keys.text, keyEncoding);
    langs[lang] = { keyBytes: bytes.length, keyEncoding };
    keyBytes.push(bytes);
    add(`${lang}.keyOffsets`, part.keys.offsets);
    add(`${lang}.keyOrder`, part.keys.order);
    add(`${lang}.keyHashes`, part.keys.hashes);
    add(`${lang}.keySlots`, part.keys.slots);
    for (const n of ARRAY_NAMES) add(`${lang}.${n}`, part[n]);
    for (const n of FIELD_ARRAYS) for (const f of FIELDS) add(`${lang}.${n}.${f}`, part[n][f]);
  }
  // Texts go apart from the JSON, as UTF-8 with byte offsets: an article's texts are decoded
  // when first read (a query reads a few dozen articles), not all at start-up.
  const texts: string[] = [];
  const articles = segment.articles.map((a) => {
    for (const p of a.paragraphs) texts.push(p.text);
    const translations = LANGS.flatMap((l) => {
      const t = a.translations[l];
      if (!t) return [];
      texts.push(...t.paragraphs);
      // Titles stay in the header: "not found" lists titles without decoding any article.
      return [{ id: t.id, file: t.file, hash: t.hash, lang: t.lang, title: t.title }];
    });
    return { ...a, paragraphs: a.paragraphs.map((p) => p.kind), translations };
  });
  // Per text its start in characters; per article where its texts start in bytes: an
  // article's texts are decoded with one call, then cut.
  const textOffsets = new Int32Array(texts.length + 1);
  texts.forEach((t, i) => (textOffsets[i + 1] = textOffsets[i]! + t.length));
  add('textOffsets', textOffsets);
  const articleBytes = new Int32Array(segment.articles.length + 1);
  let at = 0;
  articles.forEach((a, i) => {
    const count = a.paragraphs.length * (1 + a.translations.length);
    let bytes = 0;
    for (let k = at; k < at + count; k++) bytes += Buffer.byteLength(texts[k]!, 'utf8');
    at += count;
    articleBytes[i + 1] = articleBytes[i]! + bytes;
  });
  add('articleBytes', articleBytes);
  add('recency', segment.recency);
  const textBytes = Buffer.from(texts.join(''), 'utf8');
  const header = Buffer.from(JSON.stringify({ key: segment.key, articles, langs, arrays: chunks.map((c) => c.spec), textBytes: textBytes.length }));
  const keys = Buffer.concat(keyBytes);
  const start = Math.ceil((PRELUDE + header.length + keys.length) / 8) * 8;
  const out = Buffer.alloc(start + offset + textBytes.length);
  textBytes.copy(out, start + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, MAGIC.length);
  out.writeUInt32LE(textBytes.length, MAGIC.length + 4);
  header.copy(out, PRELUDE);
  keys.copy(out, PRELUDE + header.length);
  for (const { spec, data } of chunks) Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, start + spec.offset);
  return out;
}

export class SegmentFormatError extends Error {
  override name = 'SegmentFormatError';
}

/** A stored key table, checked enough that a damaged one fails here and not in a lookup loop. */
function keyTable(text: string, offsets: Int32Array, order: Int32Array, hashes: Int32Array, slots: Int32Array): KeyTable {
  const n = offsets.length - 1;
  if (n < 0 || order.length !== n || hashes.length !== n || slots.length < 2 * n || (slots.length & (slots.length - 1)) !== 0 || offsets[n] !== text.length) {
    throw new SegmentFormatError('segment key table does not match its keys');
  }
  return new KeyTable(text, offsets, order, hashes, slots);
}

/** Whether every code unit of `text` is below 256 (one Latin-1 byte each). */
const isLatin1 = (text: string): boolean => !/[^\u0000-\u00ff]/.test(text);

/**
 * A segment file: MAGIC, the JSON header's length and the texts' length (PRELUDE), the JSON
 * header, each part's keys (in LANGS order; their bytes and encoding in the header), the
 * arrays from the next multiple of 8, then the texts.
 */
interface SegmentHeader {
  key: string;
  articles: (Omit<Article, 'paragraphs' | 'translations'> & { paragraphs: Paragraph['kind'][]; translations: Omit<Translation, 'paragraphs'>[] })[];
  langs: Partial<Record<Lang, { keyBytes: number; keyEncoding: 'latin1' | 'utf8' }>>;
  arrays: ArraySpec[];
  textBytes: number;
}

/** Where a segment's texts are when they are not in the bytes given: a file, read per article. */
export interface TextSource {
  /** The whole file's size, texts included. */
  size: number;
  /** UTF-8 bytes [from, to) of the texts, decoded. */
  read(from: number, to: number): string;
}

/**
 * How many bytes of a segment file precede its texts (what deserializeSegment needs with a
 * TextSource), from its first PRELUDE bytes and its size.
 */
export function segmentTextsStart(prelude: Buffer, size: number): number {
  if (prelude.length < PRELUDE || prelude.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new SegmentFormatError('not a segment file');
  const start = size - prelude.readUInt32LE(MAGIC.length + 4);
  if (start < PRELUDE) throw new SegmentFormatError('truncated segment file');
  return start;
}

/** Where an article or translation read from a segment finds its paragraphs (hidden from JSON, spreads and comparisons). */
const PARAGRAPHS = Symbol('paragraphs');

type Lazy<T> = { [PARAGRAPHS]: () => T };

/** The one getter of every article's and translation's paragraphs (see lazyParagraphs). */
function readParagraphs(this: Lazy<unknown>): unknown {
  return this[PARAGRAPHS]();
}

/**
 * Give `target` a `paragraphs` property read through `read` when first used, enumerable like
 * a built article's. The getter is the same function for all: V8 keeps objects whose
 * accessors differ in dictionary mode, and 10,000 articles with a getter each made every
 * read of an article a hash lookup (a new process's first "not found" spent 5 ms reading
 * their dates).
 */
function lazyParagraphs<T extends Article | Translation>(target: T, read: () => T['paragraphs']): void {
  Object.defineProperty(target, PARAGRAPHS, { value: read });
  Object.defineProperty(target, 'paragraphs', { enumerable: true, get: readParagraphs });
}

/**
 * A segment from its bytes. With `texts`, `buf` may stop where the texts start: they are
 * read from the file per article when first needed (a start then reads a quarter less).
 */
export function deserializeSegment(buf: Buffer, texts?: TextSource): Segment {
  if (buf.length < PRELUDE || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new SegmentFormatError('not a segment file');
  const jsonEnd = PRELUDE + buf.readUInt32LE(MAGIC.length);
  if (buf.length < jsonEnd) throw new SegmentFormatError('truncated segment file');
  const header = JSON.parse(buf.toString('utf8', PRELUDE, jsonEnd)) as SegmentHeader;
  const keyTexts: Partial<Record<Lang, string>> = {};
  let headerEnd = jsonEnd;
  for (const lang of LANGS) {
    const stored = header.langs[lang];
    if (!stored) continue;
    const { keyBytes, keyEncoding } = stored;
    if (!(Number.isInteger(keyBytes) && keyBytes >= 0 && (keyEncoding === 'latin1' || keyEncoding === 'utf8'))) throw new SegmentFormatError('segment keys without their length or encoding');
    if (buf.length < headerEnd + keyBytes) throw new SegmentFormatError('truncated segment file');
    keyTexts[lang] = buf.toString(keyEncoding, headerEnd, headerEnd + keyBytes);
    headerEnd += keyBytes;
  }
  const start = Math.ceil(headerEnd / 8) * 8;
  // Typed arrays need aligned memory: a file read into its own buffer is; copy otherwise.
  const base = (buf.byteOffset + start) % 8 === 0 ? buf : Buffer.from(buf);
  const arrays = new Map<string, Int32Array | Float64Array>();
  for (const spec of header.arrays) {
    const at = base.byteOffset + start + spec.offset;
    const bytes = spec.length * (spec.type === 'f64' ? 8 : 4);
    if (start + spec.offset + bytes > base.length) throw new SegmentFormatError('truncated segment file');
    arrays.set(spec.name, spec.type === 'f64' ? new Float64Array(base.buffer, at, spec.length) : new Int32Array(base.buffer, at, spec.length));
  }
  const get = <T>(name: string) => {
    const a = arrays.get(name);
    if (!a) throw new SegmentFormatError(`segment file without ${name}`);
    return a as T;
  };
  const textOffsets = get<Int32Array>('textOffsets');
  const textsEnd = start + header.arrays.reduce((end, a) => Math.max(end, a.offset + Math.ceil((a.length * (a.type === 'f64' ? 8 : 4)) / 8) * 8), 0);
  if (textsEnd + header.textBytes > (texts?.size ?? buf.length)) throw new SegmentFormatError('truncated segment file');
  if (texts && buf.length !== textsEnd) throw new SegmentFormatError('segment texts do not start where its arrays end');
  // Through `texts` itself, not its method: the file closes once nothing holds `texts` (store.ts).
  const readTexts = texts ? (from: number, to: number) => texts.read(from, to) : (from: number, to: number) => buf.toString('utf8', textsEnd + from, textsEnd + to);
  const articleBytes = get<Int32Array>('articleBytes');
  if (articleBytes.length !== header.articles.length + 1 || articleBytes[header.articles.length] !== header.textBytes) throw new SegmentFormatError('segment texts do not match their offsets');
  let next = 0;
  let articleIndex = 0;
  let passages = 0;
  let translationCount = 0;
  const articles: Article[] = header.articles.map((stored) => {
    const { paragraphs: kinds, translations: metas, ...meta } = stored;
    const first = next;
    next += kinds.length * (1 + metas.length);
    if (next >= textOffsets.length) throw new SegmentFormatError('segment texts do not match its articles');
    passages += kinds.length;
    translationCount += metas.length;
    // The texts of an article and of its translations, decoded together when one is first read.
    let decoded: { paragraphs: Paragraph[]; translated: string[][] } | undefined;
    const a = articleIndex++;
    const decode = () => {
      if (decoded) return decoded;
      const all = readTexts(articleBytes[a]!, articleBytes[a + 1]!);
      const base = textOffsets[first]!;
      let at = first;
      const text = () => all.slice(textOffsets[at]! - base, textOffsets[++at]! - base);
      const paragraphs = kinds.map((kind, index) => ({ index, text: text(), kind }));
      return (decoded = { paragraphs, translated: metas.map(() => kinds.map(() => text())) });
    };
    const translations: Article['translations'] = {};
    metas.forEach((t, i) => {
      const translation = { id: t.id, file: t.file, hash: t.hash, lang: t.lang, title: t.title } as Translation;
      lazyParagraphs(translation, () => decode().translated[i]!);
      translations[t.lang] = translation;
    });
    // With every field, in the order of a built article (src/corpus/loader.ts): one object
    // shape for all articles keeps the code that reads them optimized, and the serialization
    // is the same, byte for byte (JSON leaves undefined fields out).
    const article = { id: meta.id, file: meta.file, hash: meta.hash, title: meta.title, lang: meta.lang, source: meta.source, url: meta.url, published: meta.published } as Article;
    lazyParagraphs(article, () => decode().paragraphs);
    article.translations = translations;
    return article;
  });
  const parts: Partial<Record<Lang, LangPart>> = {};
  for (const lang of LANGS) {
    const stored = header.langs[lang];
    if (!stored) continue;
    const fields = <T>(n: string) => Object.fromEntries(FIELDS.map((f) => [f, get<T>(`${lang}.${n}.${f}`)])) as Record<Field, T>;
    parts[lang] = completePart({
      lang,
      keys: keyTable(keyTexts[lang]!, get<Int32Array>(`${lang}.keyOffsets`), get<Int32Array>(`${lang}.keyOrder`), get<Int32Array>(`${lang}.keyHashes`), get<Int32Array>(`${lang}.keySlots`)),
      ...(Object.fromEntries(ARRAY_NAMES.map((n) => [n, get<Int32Array>(`${lang}.${n}`)])) as Record<(typeof ARRAY_NAMES)[number], Int32Array>),
      postOffsets: fields<Int32Array>('postOffsets'),
      postDocs: fields<Int32Array>('postDocs'),
      vecOffsets: fields<Int32Array>('vecOffsets'),
      vecTerms: fields<Int32Array>('vecTerms'),
      vecValues: fields<Float64Array>('vecValues'),
    });
  }
  const recency = get<Int32Array>('recency');
  // Each article once: a damaged order fails here, not when "not found" reads it.
  const seen = new Uint8Array(articles.length);
  if (recency.length !== articles.length || !recency.every((a) => a >= 0 && a < articles.length && seen[a]!++ === 0)) {
    throw new SegmentFormatError('segment recency does not match its articles');
  }
  return new Segment(header.key, articles, parts, { passages, translations: translationCount, kinds: header.articles.map((a) => a.paragraphs), recency });
}
