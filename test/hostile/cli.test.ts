import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../helpers.js';
import { hostileSample } from './arbitraries.js';

let cache: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  cache = await tempDir('hostile-cli-');
});
afterAll(async () => {
  await cache?.cleanup();
});

describe('hostile questions, command line', () => {
  it('answers 250 hostile questions in one batch: one well-formed JSON answer per line, in order', async () => {
    const questions = hostileSample(250);
    const input = questions.map((q, i) => JSON.stringify({ question: q, lang: i % 3 === 0 ? 'en' : null })).join('\n') + '\n';
    const run = await runCli(['ask', '--json', '--stdin'], { input, cacheDir: cache.dir });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(questions.length);
    lines.forEach((line, i) => {
      const a = JSON.parse(line) as { question: string; found: boolean; answer: string; lang: string; passages: unknown[] };
      expect(typeof a.found).toBe('boolean');
      expect(a.answer.length).toBeGreaterThan(0);
      expect(a.answer.length).toBeLessThanOrEqual(2000);
      if (i % 3 === 0) expect(a.lang).toBe('en');
    });
  }, 60_000);
});
