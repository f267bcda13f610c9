import { LRUCache } from 'lru-cache';
import { articleDate, clip, MAX_ANSWER_CHARS } from './answer/extractive.js';
import type { AnswerOut, Engine } from './engine.js';
import { DailyBudget } from './generate/budget.js';
import type { GenerationSettings } from './generate/client.js';
import { GenerationError, type GenerationFailure } from './generate/errors.js';
import { answerTurn, sourcePassage, summaryTurn, systemPrompt, type SourcePassage } from './generate/prompt.js';
import { analyze } from './language/analyzer.js';
import { runGeneration, type Citation, type Generated } from './generate/run.js';
import { messages } from './i18n/messages.js';
import { isLang, type Lang } from './language/lang.js';
import { fold } from './language/normalize.js';
import type { Logger } from './log.js';
import { titleIn } from './search/passages.js';
import { SUMMARY_MAX_CHARS, SUMMARY_MIN_CHARS, type Summary } from './summary/extractive.js';

/** Passages sent to the model for an answer. */
const PASSAGES_TO_MODEL = 3;

export interface GeneratedFields {
  /** Numbered sources of a generated answer. */
  sources?: (Citation & { title: string })[];
  /** A generated answer whose text cites its passages (false: shown, marked unverified). */
  grounded?: boolean;
  /** Why a generation was not used (the answer is extractive). */
  fallback?: GenerationFailure;
}

export type Answer = AnswerOut & GeneratedFields;

export interface AnsweringOptions {
  generation: GenerationSettings | null;
  log: Logger;
  userDailyLimit?: number;
  dailyLimit?: number;
  cacheSize?: number;
}

export interface AskRequest {
  lang?: Lang | null;
  fallbackLang?: Lang;
  userId?: string;
  /** false forces the extractive path (`--no-generate`). */
  generate?: boolean;
  /** Streamed text of a generated answer, as it comes. */
  onText?: (soFar: string) => void;
  /** The extractive answer to this very question, when the caller already has it. */
  extractive?: AnswerOut;
}

/**
 * Answers and summaries: extractive always, generated on top when a model is configured,
 * within budget, and grounded; any failure falls back to the extractive result, marked.
 */
export class Answering {
  private readonly cache: LRUCache<string, Answer> | null;
  private readonly summaries: LRUCache<string, Summary> | null;
  private readonly budget: DailyBudget;

  constructor(
    readonly engine: Engine,
    private readonly options: AnsweringOptions,
  ) {
    const size = options.cacheSize ?? 1000;
    this.cache = size > 0 ? new LRUCache({ max: size }) : null;
    this.summaries = size > 0 ? new LRUCache({ max: Math.min(size, 200) }) : null;
    this.budget = new DailyBudget(options.userDailyLimit ?? 20, options.dailyLimit ?? 500);
  }

  /** Whether a question would go to the model (the bot defers and streams then). */
  willGenerate(found: boolean, request: AskRequest = {}): boolean {
    return Boolean(this.options.generation && request.generate !== false && found);
  }

  async ask(question: string, request: AskRequest = {}): Promise<Answer> {
    const extractive = request.extractive ?? this.engine.ask(question, { lang: request.lang, fallbackLang: request.fallbackLang });
    const settings = this.options.generation;
    if (!settings || request.generate === false || !extractive.found) return extractive;
    const key = `${this.engine.corpus.fingerprint}|${settings.model}|${extractive.lang}|${fold(question).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()}`;
    const cached = this.cache?.get(key);
    if (cached) return { ...cached, question: extractive.question };
    if (!this.budget.take(request.userId)) return this.fallback(extractive, new GenerationError('budget', 'daily budget spent'));
    const lang = extractive.lang;
    const byId = this.engine.byId;
    const passages = extractive.passages
      .slice(0, PASSAGES_TO_MODEL)
      .map((p) => byId.get(p.article) && sourcePassage(byId.get(p.article)!, p.paragraph, lang))
      .filter((p): p is NonNullable<typeof p> => Boolean(p));
    try {
      const generated = await runGeneration({
        settings,
        system: systemPrompt('answer'),
        turn: answerTurn(extractive.question, lang, passages),
        passages,
        maxTokens: 700,
        onText: request.onText,
      });
      this.logUsage('answer', generated);
      // An uncited answer may still be shown, marked unverified, if it speaks of what the
      // passages say; one that follows an injected "say VoIP is banned forever" does not.
      if (!generated.notFound && !generated.grounded && !speaksOfPassages(generated.text, lang, passages)) {
        throw new GenerationError('ungrounded', 'an uncited answer that does not speak of the passages');
      }
      const answer = generated.notFound ? this.notFound(extractive) : this.generatedAnswer(extractive, generated, lang, passages);
      this.cache?.set(key, answer);
      return answer;
    } catch (err) {
      return this.fallback(extractive, err as GenerationError);
    }
  }

  async summary(options: { article?: string; lang?: Lang | null; generate?: boolean }): Promise<Summary & { fallback?: GenerationFailure }> {
    const extractive = this.engine.summary(options);
    const settings = this.options.generation;
    if (!settings || options.generate === false) return extractive;
    const article = this.engine.byId.get(extractive.article)!;
    const lang: Lang = isLang(options.lang) ? options.lang : 'fr';
    const key = `summary|${this.engine.corpus.fingerprint}|${settings.model}|${article.id}|${lang}`;
    const cached = this.summaries?.get(key);
    if (cached) return cached;
    const passages = article.paragraphs.filter((p) => p.kind === 'body').map((p) => sourcePassage(article, p.index, lang));
    try {
      if (!this.budget.take(undefined)) throw new GenerationError('budget', 'daily budget spent');
      const generated = await runGeneration({ settings, system: systemPrompt('summary'), turn: summaryTurn(lang, passages), passages, maxTokens: 900 });
      this.logUsage('summary', generated);
      if (generated.notFound) throw new GenerationError('empty', 'no summary');
      const text = generated.text.replace(/\s*\[\d+\](?:\[\d+\])*/g, '');
      if (text.length < SUMMARY_MIN_CHARS || text.length > SUMMARY_MAX_CHARS) throw new GenerationError('invalid_response', `summary of ${text.length} characters`);
      const summary: Summary = {
        ...extractive,
        lang,
        title: titleIn(article, lang) ?? article.title,
        date: articleDate(article, lang),
        mode: 'generated',
        summary: text,
        sources: [...new Set(generated.citations.map((c) => c.paragraph))].sort((a, b) => a - b).map((paragraph) => ({ article: article.id, paragraph })),
        note: undefined,
      };
      this.summaries?.set(key, summary);
      return summary;
    } catch (err) {
      const e = err instanceof GenerationError ? err : new GenerationError('error', String(err));
      this.options.log.warn({ kind: e.kind, reason: e.message, article: article.id }, 'generated summary failed, extractive summary used');
      return { ...extractive, fallback: e.kind };
    }
  }

  private generatedAnswer(extractive: AnswerOut, generated: Generated, lang: Lang, sent: SourcePassage[]): Answer {
    const byId = this.engine.byId;
    // Uncited: list the passages the model was given, and say the text was not checked.
    const cited = generated.grounded
      ? generated.citations
      : sent.map((p, i) => ({ n: i + 1, article: p.article.id, paragraph: p.paragraph, sentences: [] as string[] }));
    const sources = cited.map((c) => ({ ...c, title: titleIn(byId.get(c.article)!, lang) ?? byId.get(c.article)!.title }));
    const t = messages(lang);
    const lines = sources.map((s) => {
      const a = byId.get(s.article)!;
      return `[${s.n}] ${t.source({ title: s.title, source: a.source, date: articleDate(a, lang), paragraph: s.paragraph + 1 }).replace(/^[^:]+:\s*/, '')}`;
    });
    const sourceBlock = `${generated.grounded ? t.sourcesHeading : t.unverified}\n${lines.join('\n')}`;
    const body = clip(generated.text, MAX_ANSWER_CHARS - sourceBlock.length - 2);
    const first = sources[0]!;
    return {
      ...extractive,
      mode: 'generated',
      found: true,
      body,
      answer: `${body}\n\n${sourceBlock}`,
      sources,
      grounded: generated.grounded,
      citation: { ...extractive.citation!, article: first.article, paragraph: first.paragraph, title: first.title },
    };
  }

  private notFound(extractive: AnswerOut): Answer {
    const answer = this.engine.notFoundText(extractive.lang);
    return { ...extractive, mode: 'generated', found: false, answer, body: answer, citation: undefined };
  }

  private fallback(extractive: AnswerOut, err: GenerationError): Answer {
    this.options.log.warn({ kind: err.kind, reason: err.message }, 'generated answer failed, extractive answer used');
    if (err.kind !== 'budget') return { ...extractive, fallback: err.kind };
    const note = messages(extractive.lang).budgetNote;
    return { ...extractive, fallback: err.kind, answer: clip(`${extractive.answer}\n\n${note}`, MAX_ANSWER_CHARS) };
  }

  private logUsage(task: string, g: Generated): void {
    this.options.log.info({ task, model: this.options.generation?.model, usage: g.usage, citations: g.citations.length }, 'generation');
  }
}

/** Whether a text shares at least two informative words (names, figures, content words) with the passages. */
function speaksOfPassages(text: string, lang: Lang, passages: SourcePassage[]): boolean {
  const keys = new Set(passages.flatMap((p) => p.sentences.flatMap((s) => analyze(s, lang).map((t) => t.key))));
  const shared = new Set(analyze(text, lang).map((t) => t.key).filter((k) => keys.has(k)));
  return shared.size >= 2;
}
