import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { runCli } from './run-cli.js';

let cache: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  cache = await tempDir('console-cache-');
});
afterAll(async () => {
  await cache.cleanup();
});

describe('local console', () => {
  it('runs /ask, /summary and /reload on the corpus and prints what the bot would post', async () => {
    const input = ['/ask When was VoIP restored? lang:fr', '/summary lang:en', '/reload', 'qui dirige l anrt par interim', '/nope', '/quit', ''].join('\n');
    const run = await runCli(['console'], { input, cacheDir: cache.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1 article\(s\), 7 passages, 1 translation\(s\) loaded/);
    expect(run.stdout).toContain('Jeudi 3 novembre 2016');
    expect(run.stdout).toContain('## VoIP (finally) restored in Morocco');
    expect(run.stdout).toContain('[Passage original] [In English] [👍] [👎]');
    expect(run.stdout).toMatch(/Corpus rechargé en \d+ ms : 1 article, 7 passages, 1 traduction/);
    expect(run.stdout).toContain('Azelarab Hassibi');
    expect(run.stdout).toContain('/ask <question>');
  }, 30_000);
});
