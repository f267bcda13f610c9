import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../src/engine.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = join(ROOT, 'corpus');
export const NEIGHBOURS = join(ROOT, 'test', 'fixtures', 'neighbours');

/** The shipped corpus, index kept in memory. */
export async function shippedEngine(): Promise<Engine> {
  return (await Engine.open({ corpusDir: CORPUS, cacheDir: null })).engine;
}

/** A temporary folder removed by the returned cleanup. */
export async function tempDir(prefix = 'qa-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A temporary corpus: the shipped articles, plus the given folders' files. */
export async function corpusCopy(...extra: string[]): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const t = await tempDir('qa-corpus-');
  await cp(CORPUS, t.dir, { recursive: true });
  for (const folder of extra) await cp(folder, t.dir, { recursive: true, filter: (src) => !src.endsWith('.txt') });
  return t;
}
