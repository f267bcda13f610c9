import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { judge, parseQuestions, summarizeVerdicts } from '../eval/checks.js';
import { context, openEngine } from './common.js';

export const EVAL_USAGE = 'usage: eval [QUESTIONS.jsonl ...] [--corpus DIR] [--verbose]   (default: test/eval/questions.jsonl)';

/** Score question sets in-process with the checks of ../shared/eval/score.mjs. */
export async function evalCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { corpus: { type: 'string' }, verbose: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(EVAL_USAGE);
    return 0;
  }
  const ctx = context();
  const { engine } = await openEngine(ctx, values.corpus);
  let failed = 0;
  for (const file of positionals.length ? positionals : ['test/eval/questions.jsonl']) {
    const questions = parseQuestions(await readFile(file, 'utf8'));
    const started = performance.now();
    const verdicts = questions.map((q) => {
      const answer = engine.ask(q.question, { lang: q.lang ?? null });
      const v = judge(q, answer);
      if (values.verbose || !v.pass) {
        console.log(`${v.pass ? 'pass' : 'FAIL'} ${q.id} ${q.question} -> ${v.why.join(', ') || 'ok'}`);
        if (values.verbose || !v.pass) console.log(`     ${answer.answer.replace(/\s+/g, ' ').slice(0, 240)}`);
      }
      return v;
    });
    failed += verdicts.filter((v) => !v.pass).length;
    console.log(`${file}: ${summarizeVerdicts(verdicts, (performance.now() - started) / 1000)}`);
  }
  return failed ? 1 : 0;
}
