import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article } from '../corpus/types.js';
import { LANGS, type Lang } from '../language/lang.js';
import { buildIndexes, loadIndexes, type LangIndexes } from './index.js';

/**
 * The analyzer decides what the index stores: a change to it must invalidate every cache,
 * so its source is part of the cache key along with the corpus content.
 */
const ANALYZER_FILES = ['../language/analyzer.ts', '../language/stopwords.ts', '../language/stemmers.ts', './index.ts'];
let analyzerHash: string | undefined;
function analyzerVersion(): string {
  if (!analyzerHash) {
    const h = createHash('sha256');
    for (const f of ANALYZER_FILES) {
      try {
        h.update(readFileSync(fileURLToPath(new URL(f, import.meta.url))));
      } catch {
        h.update(f); // compiled builds: the file list still versions the format
      }
    }
    analyzerHash = h.digest('hex').slice(0, 12);
  }
  return analyzerHash;
}

export function cacheFile(cacheDir: string, fingerprint: string): string {
  return join(cacheDir, `index-${fingerprint}-${analyzerVersion()}.json`);
}

export interface IndexLoad {
  indexes: LangIndexes;
  fromCache: boolean;
}

/**
 * Load the serialized index for this exact corpus content, or build it and save it for the
 * next start. A missing, stale or unreadable cache only costs a rebuild.
 */
export async function loadOrBuildIndexes(articles: Article[], fingerprint: string, cacheDir: string | null): Promise<IndexLoad> {
  const file = cacheDir ? cacheFile(cacheDir, fingerprint) : null;
  if (file) {
    try {
      const json = JSON.parse(await readFile(file, 'utf8')) as { fingerprint: string; indexes: Record<Lang, object> };
      if (json.fingerprint === fingerprint) return { indexes: loadIndexes(json.indexes), fromCache: true };
    } catch {
      // no cache yet, or a broken one: rebuild below
    }
  }
  const indexes = buildIndexes(articles);
  if (file && cacheDir) {
    try {
      await mkdir(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      const payload = { fingerprint, indexes: Object.fromEntries(LANGS.map((l) => [l, indexes[l].toJSON()])) };
      await writeFile(tmp, JSON.stringify(payload));
      await rename(tmp, file); // atomic: a concurrent reader sees the old file or the new one
      await pruneCache(cacheDir, file);
    } catch {
      // a read-only cache folder must not stop the bot from answering
    }
  }
  return { indexes, fromCache: false };
}

/** Index files kept in the cache folder: the current one and a few recent others (other corpora). */
const KEEP_CACHE_FILES = 4;

/** Remove all but the most recently written index files, so edits do not fill the disk. */
async function pruneCache(cacheDir: string, current: string): Promise<void> {
  const files = (await readdir(cacheDir)).filter((f) => /^index-.*\.json$/.test(f)).map((f) => join(cacheDir, f));
  const dated = await Promise.all(files.map(async (f) => ({ f, t: (await stat(f)).mtimeMs })));
  dated.sort((a, b) => b.t - a.t);
  for (const { f } of dated.slice(KEEP_CACHE_FILES)) if (f !== current) await unlink(f).catch(() => undefined);
}
