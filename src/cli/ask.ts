import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Answer, Answering } from '../answering.js';
import type { AnswerOut } from '../engine.js';
import { messages } from '../i18n/messages.js';
import { isLang } from '../language/lang.js';
import { collectYoungGeneration } from '../v8-tuning.js';
import { context, langOption, openAnswering, UsageError } from './common.js';

export const ASK_USAGE = `usage: ask [--json] [--lang fr|en] [--corpus DIR] [--no-generate] [--no-cache] "question"
       ask --json --stdin [--corpus DIR] [--warm-up MS]   (JSONL in: {"question": "...", "lang": "fr"|"en"|null})`;

/**
 * How long `--stdin` warms up, at most, before its first answer. A new process answers its
 * first questions while V8 compiles the query path, several times slower than the rest: a
 * batch spends this on questions of its own (Engine.warmUp, as the bot does at start), and
 * its first few dozen questions then take about 2 ms less each, the slowest a fifth to a
 * third less (docs/PERFORMANCE.md). A batch of fewer than about a hundred questions ends a
 * little later for it: this is for the time to each answer, not to the last. 250 ms rather
 * than the first 150 since the command line starts ≈0.1 s sooner (scripts/run-bundle.mjs):
 * the deadline below, not this, bounds the start.
 */
export const BATCH_WARM_UP_MS = 250;
/**
 * Nor does the warm-up go on past this age of the process (ms): where the index loaded late
 * (a loaded machine), it gives way to the start, whose target is 1.5 s through npm (issue 5;
 * npm itself takes 0.25–0.45 s of it). 950 ms took the bench's start to 1.38 s on a busy
 * machine: 900 keeps more of the start's margin.
 */
export const BATCH_READY_BY_MS = 900;

/** The warm-up's time for a batch whose process is `ageMs` old (`--warm-up MS` sets it instead). */
export function warmUpBudget(ageMs: number): number {
  return Math.min(BATCH_WARM_UP_MS, Math.max(0, BATCH_READY_BY_MS - ageMs));
}

/** A readable terminal form of an answer. */
export function formatAnswer(a: AnswerOut): string {
  const lines = [a.answer, ''];
  if (a.passages.length) {
    lines.push(a.lang === 'fr' ? 'Passages :' : 'Passages:');
    for (const [i, p] of a.passages.entries()) {
      const text = p.text.length > 240 ? `${p.text.slice(0, 239)}…` : p.text;
      lines.push(`  ${i + 1}. [${p.article} §${p.paragraph + 1}, score ${p.score}] ${text}`);
    }
  }
  return lines.join('\n');
}

function warmUpOption(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--warm-up must be a number of milliseconds, not "${value}"`);
  return Number(value);
}

type InputError = Omit<AnswerOut, 'question'> & { question: null; error: string };

async function answerLine(answering: Answering, line: string, generate: boolean): Promise<Answer | InputError> {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    input = null;
  }
  const q = input as { question?: unknown; lang?: unknown } | null;
  if (!q || typeof q !== 'object' || typeof q.question !== 'string') {
    const error = 'each input line must be a JSON object with a "question" string';
    const lang = isLang(q?.lang) ? q.lang : 'fr';
    return { question: null, error, lang, found: false, mode: 'extractive', answer: messages(lang).invalidInput, passages: [], question_lang: null, answer_type: 'other' };
  }
  return answering.ask(q.question, { lang: isLang(q.lang) ? q.lang : null, generate });
}

export async function askCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      stdin: { type: 'boolean', default: false },
      lang: { type: 'string' },
      corpus: { type: 'string' },
      'no-generate': { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      'warm-up': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(ASK_USAGE);
    return 0;
  }
  const lang = langOption(values.lang);
  const warmUpMs = values['warm-up'] === undefined ? undefined : warmUpOption(values['warm-up']);
  const question = positionals.join(' ');
  if (!values.stdin && !question.trim()) throw new UsageError(`a question is required\n${ASK_USAGE}`);
  const ctx = context();
  const generate = !values['no-generate'];
  const answering = await openAnswering(ctx, values.corpus, { cache: !values['no-cache'], generate });
  if (values.stdin) {
    // performance.now() counts from the process's start.
    const started = performance.now();
    const budgetMs = warmUpMs ?? warmUpBudget(started);
    if (budgetMs > 0) {
      // A warm-up question that throws costs the warm-up, never the batch.
      const asked = await answering.engine.warmUp({ budgetMs }).catch(() => 0);
      const collected = collectYoungGeneration();
      ctx.log.debug({ asked, budgetMs, collected, ms: Math.round(performance.now() - started) }, 'warm-up done');
    }
    // Each answer is written as soon as it is found: a program that writes a question and
    // waits for its answer (a pipe kept open) gets it at once, not when its input ends.
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const answer = await answerLine(answering, line, generate);
      process.stdout.write(values.json ? `${JSON.stringify(answer)}\n` : `${formatAnswer(answer as AnswerOut)}\n\n`);
    }
    return 0;
  }
  const answer = await answering.ask(question, { lang, generate });
  process.stdout.write(values.json ? `${JSON.stringify(answer)}\n` : `${formatAnswer(answer)}\n`);
  return 0;
}
