import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/loader.js';
import { runCli } from '../cli/run-cli.js';
import { corpusCopy, tempDir } from '../helpers.js';
import { startAnthropicServer, textBlock, type AnthropicTestServer } from '../anthropic/server.js';

const KEY = 'sk-ant-cli-SECRET-1122334455';
let server: AnthropicTestServer;
let cache: { dir: string; cleanup: () => Promise<void> };
const env = (extra: Record<string, string> = {}) => ({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseURL, ANTHROPIC_MODEL: 'claude-haiku-5-5', ANTHROPIC_TIMEOUT_MS: '3000', LOG_LEVEL: 'info', ...extra });
const Q = 'Quand la VoIP a-t-elle été rétablie ?';

beforeAll(async () => {
  server = await startAnthropicServer({ apiKey: KEY });
  cache = await tempDir('gen-cli-');
});
afterAll(async () => {
  await server?.close();
  await cache?.cleanup();
});
beforeEach(() => {
  server.respondWith();
});

describe('ask and summary with a model', () => {
  it('answers with mode "generated" in French by default and in English with --lang en', async () => {
    const fr = await runCli(['ask', '--json', Q], { cacheDir: cache.dir, env: env() });
    const a = JSON.parse(fr.stdout) as { mode: string; lang: string; answer: string };
    expect(a).toMatchObject({ mode: 'generated', lang: 'fr' });
    const body = server.requests.at(-1)!.body as { model: string; messages: { content: { type: string; text?: string }[] }[] };
    expect(body.model).toBe('claude-haiku-5-5');
    expect(body.messages[0]!.content.at(-1)!.text).toContain('Answer language: French');
    const en = JSON.parse((await runCli(['ask', '--json', '--lang', 'en', Q], { cacheDir: cache.dir, env: env() })).stdout) as { mode: string; lang: string };
    expect(en).toMatchObject({ mode: 'generated', lang: 'en' });
    expect((server.requests.at(-1)!.body as { messages: { content: { text?: string }[] }[] }).messages[0]!.content.at(-1)!.text).toContain('Answer language: English');
    expect(fr.stdout + fr.stderr).not.toContain(KEY);
  }, 30_000);

  it('stays extractive with --no-generate', async () => {
    const before = server.requests.length;
    const run = await runCli(['ask', '--json', '--no-generate', Q], { cacheDir: cache.dir, env: env() });
    expect(JSON.parse(run.stdout)).toMatchObject({ mode: 'extractive' });
    expect(server.requests.length).toBe(before);
  }, 30_000);

  it('gives the extractive answer within 20 s when the model hangs past ANTHROPIC_TIMEOUT_MS', async () => {
    server.respondWith(() => ({ kind: 'hang' }));
    const started = Date.now();
    const run = await runCli(['ask', '--json', Q], { cacheDir: cache.dir, env: env() });
    expect(Date.now() - started).toBeLessThan(20_000);
    const a = JSON.parse(run.stdout) as { mode: string; answer: string; fallback: string };
    expect(a).toMatchObject({ mode: 'extractive', fallback: 'timeout' });
    expect(a.answer).toContain('3 novembre 2016');
    expect(run.stderr).not.toContain(KEY);
  }, 30_000);

  it('summarizes with the model, or extractively when it fails', async () => {
    server.respondWith(() => ({ kind: 'error', status: 500 }));
    const run = await runCli(['summary', '--json', '--lang', 'en'], { cacheDir: cache.dir, env: env({ ANTHROPIC_MAX_RETRIES: '0' }) });
    const s = JSON.parse(run.stdout) as { mode: string; lang: string; summary: string };
    expect(s).toMatchObject({ mode: 'extractive', lang: 'en' });
    expect(s.summary.length).toBeGreaterThanOrEqual(200);
  }, 30_000);
});

describe('corpus:translate', () => {
  it('writes an aligned translation for an article without one, and keeps existing ones', async () => {
    const corpus = await corpusCopy();
    try {
      await writeFile(join(corpus.dir, 'cinq-g.md'), '---\nid: cinq-g\ntitle: La 5G au Maroc\nlang: fr\npublished: 2030-01-02\n---\nPremier paragraphe.\n\nSecond paragraphe.\n');
      server.respondWith(() => ({ kind: 'message', content: [textBlock(JSON.stringify(['5G in Morocco', 'First paragraph.', 'Second paragraph.']))] }));
      const run = await runCli(['translate', '--corpus', corpus.dir], { cacheDir: cache.dir, env: env() });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/kept voip-maroc-2016\.en\.md/);
      const loaded = await loadCorpus(corpus.dir);
      expect(loaded.errors).toEqual([]);
      expect(loaded.articles.find((a) => a.id === 'cinq-g')!.translations.en).toMatchObject({ title: '5G in Morocco', paragraphs: ['First paragraph.', 'Second paragraph.'] });
      expect(await readFile(join(corpus.dir, 'voip-maroc-2016.en.md'), 'utf8')).toContain('hand-made');
    } finally {
      await corpus.cleanup();
    }
  }, 30_000);

  it('refuses a translation whose paragraph count differs, writing nothing', async () => {
    const corpus = await corpusCopy();
    try {
      await writeFile(join(corpus.dir, 'cinq-g.md'), '---\nid: cinq-g\ntitle: La 5G au Maroc\nlang: fr\n---\nPremier paragraphe.\n\nSecond paragraphe.\n');
      server.respondWith(() => ({ kind: 'message', content: [textBlock(JSON.stringify(['5G in Morocco', 'Both paragraphs in one.']))] }));
      const run = await runCli(['translate', '--article', 'cinq-g', '--corpus', corpus.dir], { cacheDir: cache.dir, env: env() });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/1 paragraphs, the article 2/);
      expect((await loadCorpus(corpus.dir)).articles.find((a) => a.id === 'cinq-g')!.translations.en).toBeUndefined();
    } finally {
      await corpus.cleanup();
    }
  }, 30_000);
});
