import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Answer, Answering } from '../answering.js';
import type { AnswerOut } from '../engine.js';
import { messages } from '../i18n/messages.js';
import { isLang } from '../language/lang.js';
import { context, langOption, openAnswering, UsageError } from './common.js';

export const ASK_USAGE = `usage: ask [--json] [--lang fr|en] [--corpus DIR] [--no-generate] [--no-cache] "question"
       ask --json --stdin [--corpus DIR]      (JSONL in: {"question": "...", "lang": "fr"|"en"|null})`;

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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(ASK_USAGE);
    return 0;
  }
  const lang = langOption(values.lang);
  const question = positionals.join(' ');
  if (!values.stdin && !question.trim()) throw new UsageError(`a question is required\n${ASK_USAGE}`);
  const ctx = context();
  const generate = !values['no-generate'];
  const answering = await openAnswering(ctx, values.corpus, { cache: !values['no-cache'], generate });
  if (values.stdin) {
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
