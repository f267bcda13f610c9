import type { Lang } from '../language/lang.js';
import { en } from './en.js';
import { fr } from './fr.js';

export interface SourceLine {
  title: string;
  source?: string;
  date?: string;
  /** 1-based, as people count. */
  paragraph: number;
}

/** The shape every language file fills in: one place per language for user-facing text. */
export interface Messages {
  notFound(covers: string): string;
  emptyCorpus: string;
  emptyQuestion: string;
  sourcesHeading: string;
  /** Heads the passages of a generated answer that cited none. */
  unverified: string;
  /** Said when generated answers are over budget. */
  budgetNote: string;
  /** A batch input line that is not a question object. */
  invalidInput: string;
  source(line: SourceLine): string;
  related(headline: string): string;
  onlyInOriginal(where: { paragraph: number; original: Lang }): string;
  quote(text: string): string;
  articlesOnlyIn(n: number, lang: Lang): string;
  /** A source line that names no title: the title is in another language than the answer. */
  sourceUntranslated(line: Omit<SourceLine, 'title'> & { original: Lang }): string;
  languageName: Record<Lang, string>;
  asOf(date: string): string;
  summaryOnlyInOriginal(title: string): string;
  unknownArticle(id: string): string;
  moreArticles(n: number): string;
  /** What the Discord bot says. */
  bot: BotMessages;
}

export interface BotMessages {
  /** How many shards now serve the new corpus (sharded bot). */
  reloadShards(counts: { reloaded: number; total: number }): string;
  /** A shard that did not reload, and why. */
  reloadShardProblem(problem: { shard: number; status: 'kept' | 'failed' | 'down' | 'timeout'; reason?: string }): string;

  generatedNote: string;
  extractiveNote: string;
  unverifiedNote: string;
  writing: string;
  sourceField: string;
  passageField: string;
  notFoundTitle: string;
  asOf(date: string): string;
  showOriginal: string;
  switchTo: Record<Lang, string>;
  originalTitle(paragraph: number): string;
  originalFooter(title: string): string;
  feedbackThanks: string;
  feedbackCounts(up: number, down: number): string;
  expired: string;
  rateLimited(seconds: number): string;
  notModerator: string;
  notOperator: string;
  guildOnly: string;
  error(reference: string): string;
  summaryFooter(paragraphs: string): string;
  reloadDone(counts: { articles: number; passages: number; translations: number; ms: number }): string;
  reloadFailed: string;
  reloadError(reason: string): string;
  reloadChanges(changes: { added: string[]; removed: string[]; changed: string[] }): string;
  reloadBroken(n: number): string;
  reloadQueued: string;
  unknownArticle(id: string): string;
  questionLabel: string;
}

const catalog: Record<Lang, Messages> = { fr, en };

export function messages(lang: Lang): Messages {
  return catalog[lang];
}
