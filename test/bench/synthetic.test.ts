import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticCorpus } from '../../src/bench/synthetic.js';
import { loadCorpus } from '../../src/corpus/loader.js';
import { ROOT, tempDir } from '../helpers.js';
import { spawnSync } from 'node:child_process';

let dir: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('synth-');
});
afterAll(async () => {
  await dir?.cleanup();
});

describe('synthetic corpus', () => {
  it('writes valid French articles, the same for the same seed', async () => {
    await writeSyntheticCorpus(join(dir.dir, 'a'), { articles: 30, seed: 7 });
    await writeSyntheticCorpus(join(dir.dir, 'b'), { articles: 30, seed: 7 });
    const files = await readdir(join(dir.dir, 'a'));
    expect(files.length).toBe(30);
    for (const f of files) expect(await readFile(join(dir.dir, 'a', f), 'utf8')).toBe(await readFile(join(dir.dir, 'b', f), 'utf8'));
    const corpus = await loadCorpus(join(dir.dir, 'a'));
    expect(corpus.errors).toEqual([]);
    for (const a of corpus.articles) {
      expect(a.lang).toBe('fr');
      expect(a.paragraphs.length).toBeGreaterThanOrEqual(5);
      expect(a.paragraphs.length).toBeLessThanOrEqual(10);
    }
  });

  it('measures the project and plain lunr in one bench run, as JSON', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/bench/run.ts', '--articles', '20', '--json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as {
      sizes: number[];
      results: { system: string; articles: number; passages: number; queryMeanMs: number; firstRoundMeanMs: number; firstRoundP99Ms: number; peakRssMb: number; warmStartMs: number | null; cliPerQuestionMs: number | null; cliStreamPerQuestionMs: number | null; reloadMs: number | null }[];
    };
    expect(out.sizes).toEqual([20]);
    expect(out.results.map((r) => r.system)).toEqual(['project', 'lunr']);
    for (const r of out.results) {
      expect(r.articles).toBe(21); // the shipped article and 20 synthetic ones
      expect(r.passages).toBeGreaterThan(100);
      expect(r.peakRssMb).toBeGreaterThan(0);
      // The first round alone (first sights) is reported beside all rounds.
      expect(r.firstRoundMeanMs).toBeGreaterThan(0);
      expect(r.firstRoundP99Ms).toBeGreaterThanOrEqual(r.firstRoundMeanMs);
    }
    // Only the project has a CLI start-up and a /reload to time.
    expect(out.results[0]!.warmStartMs).toBeGreaterThan(0);
    expect(out.results[0]!.reloadMs).toBeGreaterThan(0);
    expect(out.results[1]!.reloadMs).toBeNull();
    expect(out.results[0]!.cliPerQuestionMs).toBeGreaterThan(0);
    expect(out.results[1]!.cliPerQuestionMs).toBeNull();
    // ...and read from its output, first answer to last.
    expect(out.results[0]!.cliStreamPerQuestionMs).toBeGreaterThan(0);
    expect(out.results[1]!.cliStreamPerQuestionMs).toBeNull();
    expect(run.stderr).toBe('');
  }, 60_000);
});
