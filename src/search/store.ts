import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleArticle, corpusRoot, listMarkdown, readRecord, resolveRecords, type FileRecord, type Parsed } from '../corpus/loader.js';
import type { Corpus, CorpusError } from '../corpus/types.js';
import { buildSegment, deserializeSegment, serializeSegment, type Segment } from './segment.js';

/**
 * The corpus is split into segments by article id: a reload after one article changed
 * rebuilds one segment (a sixteenth of the corpus), and every segment is cached on its own.
 */
export const SEGMENTS = 16;

/**
 * The analyzer and the segment format decide what a segment holds: a change to them must
 * invalidate every cache, so their source is part of each segment's key.
 */
const FORMAT_FILES = ['../language/analyzer.ts', '../language/stopwords.ts', '../language/stemmers.ts', './segment.ts'];
/** In the compiled bundle (scripts/build.mjs), where src/search is relative to the bundle. */
declare const __SEARCH_SOURCES__: string | undefined;
const SEARCH_SOURCES = typeof __SEARCH_SOURCES__ === 'string' ? new URL(__SEARCH_SOURCES__, import.meta.url) : import.meta.url;
let formatHash: string | undefined;
export function formatVersion(): string {
  if (!formatHash) {
    const h = createHash('sha256');
    for (const f of FORMAT_FILES) {
      try {
        h.update(readFileSync(fileURLToPath(new URL(f, SEARCH_SOURCES))));
      } catch {
        h.update(f); // compiled builds: the file list still versions the format
      }
    }
    formatHash = h.digest('hex').slice(0, 12);
  }
  return formatHash;
}

/** FNV-1a: a stable, fast spread of ids over segments. */
export function segmentOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SEGMENTS;
}

/**
 * A file whose size and modification time match what the last scan recorded is not read
 * again (as git and make do), unless it changed within this long of that scan: a write in
 * the same instant as the scan could keep both (git's "racy" case).
 */
const RACY_MS = 2000;
/** Manifests kept in the cache folder (one per corpus folder), with the segments they use. */
const KEEP_MANIFESTS = 4;

interface Manifest {
  version: string;
  root: string;
  scannedAt: number;
  files: FileRecord[];
  segments: string[];
}

export interface StoreOptions {
  corpusDir: string;
  /** Folder for segment files and manifests; null keeps everything in memory. */
  cacheDir: string | null;
  /** Segments already in memory (the snapshot being served), by key: reused as they are. */
  have?: (key: string) => Segment | undefined;
  /** Keys the caller already holds (a worker's caller): returned without content. */
  known?: ReadonlySet<string>;
  /** Return new segments as bytes (a worker hands them over) rather than objects. */
  asBytes?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SegmentOut {
  key: string;
  segment?: Segment;
  bytes?: Uint8Array;
}

export interface StoreResult {
  dir: string;
  errors: CorpusError[];
  fingerprint: string;
  segments: SegmentOut[];
  /** Segments built from the corpus files (0: everything came from the cache or memory). */
  built: number;
}

const manifestFile = (cacheDir: string, root: string) => join(cacheDir, `manifest-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.json`);
const segmentFile = (cacheDir: string, key: string) => join(cacheDir, `segment-${key}.bin`);

function readManifest(cacheDir: string | null, root: string): Manifest | undefined {
  if (!cacheDir) return undefined;
  try {
    const m = JSON.parse(readFileSync(manifestFile(cacheDir, root), 'utf8')) as Manifest;
    return m.version === formatVersion() && m.root === root && Array.isArray(m.files) ? m : undefined;
  } catch {
    return undefined; // no manifest yet, or a broken one: every file is read
  }
}

/** Write through a temporary file: a concurrent reader (another shard) sees the old file or the new one. */
function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Scan the corpus folder and produce its segments: from memory when unchanged, else from the
 * cache folder, else built from the files (and cached). Unchanged files are not even read.
 */
export async function loadSegments(options: StoreOptions): Promise<StoreResult> {
  const root = await corpusRoot(options.corpusDir);
  const { cacheDir } = options;
  const previous = readManifest(cacheDir, root);
  const known = new Map(previous?.files.map((f) => [f.file, f]));
  const scannedAt = Date.now();
  const parsed = new Map<string, Parsed>();
  const paths = listMarkdown(root);
  const pathOf = new Map<string, string>();
  const records = paths.map((path, i) => {
    if (options.onProgress && i % 500 === 0) options.onProgress(i, paths.length);
    const file = path.slice(root.length + 1);
    pathOf.set(file, path);
    const old = known.get(file);
    if (old && previous) {
      try {
        const info = lstatSync(path);
        if (!info.isSymbolicLink() && info.size === old.size && info.mtimeMs === old.mtimeMs && info.mtimeMs < previous.scannedAt - RACY_MS) return old;
      } catch {
        // gone since the listing: read below reports it
      }
    }
    const r = readRecord(root, path);
    if (r.parsed) parsed.set(file, r.parsed);
    return r.record;
  });
  const resolved = resolveRecords(records);

  const members = new Map<number, string[]>();
  for (const id of resolved.articles.keys()) {
    const s = segmentOf(id);
    members.set(s, [...(members.get(s) ?? []), id]);
  }
  const parsedOf = (file: string): Parsed | undefined => {
    let p = parsed.get(file);
    if (!p) {
      p = readRecord(root, pathOf.get(file)!).parsed;
      if (p) parsed.set(file, p);
    }
    return p;
  };
  const out: SegmentOut[] = [];
  let built = 0;
  if (cacheDir) mkdirSync(cacheDir, { recursive: true });
  for (const [, ids] of [...members].sort((a, b) => a[0] - b[0])) {
    ids.sort();
    const signature = ids.map((id) => [id, resolved.articles.get(id)!.hash, ...(resolved.translations.get(id) ?? []).map((t) => `${t.lang}:${t.hash}`)].join(':'));
    const key = createHash('sha256').update(formatVersion()).update(signature.join('\n')).digest('hex').slice(0, 24);
    const inMemory = options.have?.(key);
    if (inMemory || options.known?.has(key)) {
      out.push({ key, ...(options.asBytes ? {} : { segment: inMemory }) });
      continue;
    }
    if (cacheDir) {
      try {
        const bytes = readFileSync(segmentFile(cacheDir, key));
        // Parse it here even when handing bytes over: a corrupt file is rebuilt, not passed on.
        const segment = deserializeSegment(bytes);
        if (segment.key === key) {
          out.push(options.asBytes ? { key, bytes } : { key, segment });
          continue;
        }
      } catch {
        // not cached yet, or unreadable: build it below
      }
    }
    const articles = ids.map((id) => assembleArticle(id, resolved, parsedOf)).filter((a) => a !== undefined);
    const segment = buildSegment(key, articles);
    built++;
    let bytes: Uint8Array | undefined;
    if (cacheDir || options.asBytes) bytes = serializeSegment(segment);
    if (cacheDir && bytes) {
      try {
        writeAtomic(segmentFile(cacheDir, key), bytes);
      } catch {
        // a read-only cache folder must not stop the bot from answering
      }
    }
    out.push(options.asBytes ? { key, bytes } : { key, segment });
    options.onProgress?.(paths.length, paths.length);
  }
  if (cacheDir) {
    try {
      const changed = !previous || built > 0 || parsed.size > 0 || previous.files.length !== records.length;
      if (changed) {
        const manifest: Manifest = { version: formatVersion(), root, scannedAt, files: records, segments: out.map((s) => s.key) };
        writeAtomic(manifestFile(cacheDir, root), JSON.stringify(manifest));
        pruneCache(cacheDir);
      }
    } catch {
      // as above: the cache is an optimization
    }
  }
  return { dir: root, errors: resolved.errors, fingerprint: resolved.fingerprint, segments: out, built };
}

/** Keep the most recent manifests and the segments they use; remove the rest. */
function pruneCache(cacheDir: string): void {
  const names = readdirSync(cacheDir);
  const manifests = names
    .filter((f) => /^manifest-.*\.json$/.test(f))
    .map((f) => ({ f, t: statSync(join(cacheDir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  const used = new Set<string>();
  for (const [i, { f }] of manifests.entries()) {
    if (i >= KEEP_MANIFESTS) {
      unlinkSync(join(cacheDir, f));
      continue;
    }
    try {
      for (const key of (JSON.parse(readFileSync(join(cacheDir, f), 'utf8')) as Manifest).segments) used.add(`segment-${key}.bin`);
    } catch {
      // unreadable manifest: its segments go
    }
  }
  for (const f of names) {
    // Old single-file indexes (earlier versions) and unused segments go; temporary files of a
    // concurrent writer stay.
    if ((/^segment-.*\.bin$/.test(f) && !used.has(f)) || /^index-.*\.json$/.test(f)) {
      try {
        unlinkSync(join(cacheDir, f));
      } catch {
        // already gone
      }
    }
  }
}

/** The corpus a set of segments holds: articles in file order, with the scan's errors. */
export function corpusOf(result: Pick<StoreResult, 'dir' | 'errors' | 'fingerprint'>, segments: Segment[]): Corpus {
  const articles = segments.flatMap((s) => s.articles).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { dir: result.dir, articles, errors: result.errors, fingerprint: result.fingerprint };
}
