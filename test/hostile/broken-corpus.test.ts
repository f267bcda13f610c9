import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine.js';
import { renderReload } from '../../src/discord/render.js';
import { judge, parseQuestions } from '../../src/eval/checks.js';
import { Reloader } from '../../src/reloader.js';
import { runCli } from '../cli/run-cli.js';
import { writeBrokenFiles } from '../fixtures/broken-corpus.js';
import { corpusCopy, ROOT, tempDir } from '../helpers.js';
import { hostileSample } from './arbitraries.js';

let corpus: { dir: string; cleanup: () => Promise<void> };
let scratch: { dir: string; cleanup: () => Promise<void> };
let expected: Record<string, RegExp>;

beforeAll(async () => {
  corpus = await corpusCopy();
  scratch = await tempDir('broken-');
  expected = await writeBrokenFiles(corpus.dir, join(scratch.dir, 'outside'));
});
afterAll(async () => {
  await corpus?.cleanup();
  await scratch?.cleanup();
});

describe('a corpus full of broken files', () => {
  it('names every broken file with its reason on stderr, answers the reference questions, and keeps 200 hostile answers well-formed', async () => {
    const reference = parseQuestions(readFileSync(join(ROOT, 'test', 'eval', 'questions.jsonl'), 'utf8')).filter((q) => q.id !== 'q44');
    const hostile = hostileSample(200, 99);
    const input = [...reference.map((q) => ({ question: q.question, lang: q.lang ?? null })), ...hostile.map((q) => ({ question: q, lang: null }))].map((x) => JSON.stringify(x)).join('\n') + '\n';
    const run = await runCli(['ask', '--json', '--stdin', '--corpus', corpus.dir], { input, cacheDir: scratch.dir });
    expect(run.code).toBe(0);
    const skipped = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; file?: string; reason?: string })
      .filter((l) => l.msg.startsWith('corpus file skipped'));
    for (const [file, reason] of Object.entries(expected)) {
      const line = skipped.find((l) => l.file === file);
      expect(line, file).toBeDefined();
      expect(line!.reason).toMatch(reason);
    }
    expect(skipped.map((l) => l.file).sort()).toEqual(Object.keys(expected).sort());
    const answers = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Parameters<typeof judge>[1]);
    expect(answers.length).toBe(reference.length + hostile.length);
    reference.forEach((q, i) => expect(judge(q, answers[i]!).why, q.question).toEqual([]));
    for (const a of answers.slice(reference.length)) {
      expect(a.answer.length).toBeGreaterThan(0);
      expect(a.answer.length).toBeLessThanOrEqual(2000);
    }
  }, 60_000);

  it('lists every broken file in the /reload report, within Discord limits', async () => {
    const { engine } = await Engine.open({ corpusDir: corpus.dir, cacheDir: null });
    const report = await new Reloader(engine).reload();
    expect(report.swapped).toBe(true);
    const text = JSON.stringify(renderReload(report, 'en').embeds);
    for (const file of Object.keys(expected)) expect(text, file).toContain(file);
  });
});
