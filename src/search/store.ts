import { createHash } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, read, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { assembleArticle, corpusRoot, defaultId, listMarkdown, readRecord, resolveRecords, type FileRecord, type Parsed, type Resolved } from '../corpus/loader.js';
import { BuildPool, parallelism, PARALLEL_MIN, type SegmentJob } from './pool.js';
import type { Article, Corpus, CorpusError } from '../corpus/types.js';
import { buildSegment, deserializeSegment, PRELUDE, segmentTextsStart, serializeSegment, type Segment, type TextSource } from './segment.js';
import { hashKey } from '../language/analyzer.js';
import { defaultLexicon, defaultLexiconData, type CompiledLexicon, type Lexicon } from '../language/lexicon.js';

/**
 * The corpus is split into segments by article id: a reload after one article changed
 * rebuilds one segment (a sixteenth of the corpus), and every segment is cached on its own.
 */
export const SEGMENTS = 16;

/**
 * Segment files read at once, off the calling thread. Reading from the system's cache is
 * copying memory: more readers than this only took cores from the thread decoding them.
 */
const READ_LANES = 2;

/**
 * The analyzer and the segment format decide what a segment holds: a change to them must
 * invalidate every cache, so their source is part of each segment's key.
 */
const FORMAT_FILES = ['../language/analyzer.ts', '../language/stopwords.ts', '../language/stemmers.ts', '../answer/answer-type.ts', '../language/lexicon.ts', '../corpus/recency.ts', './segment.ts', './vocabulary.ts'];
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
  return (hashKey(id) >>> 0) % SEGMENTS;
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
  /** Files to read or articles to index from which threads share the work (default PARALLEL_MIN). */
  parallelMin?: number;
  /** How many threads then (default: one per core). */
  threads?: number;
  /**
   * Work for this thread while it reads its segment files from the cache folder, which it
   * does off the thread: run step by step between decoding the files as they arrive.
   */
  whileReading?: readonly (() => void)[];
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
  /** Threads that read the files and built the segments (1: the calling one alone). */
  threads?: { scan: number; build: number };
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
  const paths = listMarkdown(root);
  const fileOf = (path: string) => path.slice(root.length + 1);
  // Files whose size and time the manifest vouches for are not read.
  const records: (FileRecord | undefined)[] = paths.map((path) => {
    const old = known.get(fileOf(path));
    if (!old || !previous) return undefined;
    try {
      const info = lstatSync(path);
      if (!info.isSymbolicLink() && info.size === old.size && info.mtimeMs === old.mtimeMs && info.mtimeMs < previous.scannedAt - RACY_MS) return old;
    } catch {
      // gone since the listing: read below reports it
    }
    return undefined;
  });
  const toRead = paths.filter((_, i) => !records[i]);
  let pool: BuildPool | undefined;
  const threads = options.threads ?? parallelism();
  const poolFor = (work: number) => (work > 0 && work >= (options.parallelMin ?? PARALLEL_MIN) && threads > 1 ? (pool ??= new BuildPool(threads)) : undefined);
  try {
    // The files to read: parsed here (and kept for the build), or by threads when many.
    const parsed = new Map<string, Parsed>();
    let scanPool = poolFor(toRead.length);
    // A thread that fails (out of memory, killed) costs its speed, not the load: the calling
    // thread does the work instead.
    const threaded = scanPool ? await scanInThreads(scanPool, root, toRead, (n) => options.onProgress?.(paths.length - toRead.length + n, paths.length)).catch(() => undefined) : undefined;
    if (!threaded) scanPool = undefined;
    const read =
      threaded ??
      toRead.map((path, i) => {
        if (options.onProgress && i % 500 === 0) options.onProgress(paths.length - toRead.length + i, paths.length);
        const r = readRecord(root, path);
        if (r.parsed) parsed.set(r.record.file, r.parsed);
        return r.record;
      });
    let next = 0;
    const all = records.map((r) => r ?? read[next++]!);
    const resolved = resolveRecords(all);

    const out: SegmentOut[] = [];
    const toBuild: { at: number; key: string; ids: string[]; segment: number }[] = [];
    const toOpen: typeof toBuild = [];
    if (cacheDir) mkdirSync(cacheDir, { recursive: true });
    for (const [segment, { key, ids }] of segmentPlan(resolved)) {
      const inMemory = options.have?.(key);
      if (inMemory || options.known?.has(key)) {
        out.push({ key, ...(options.asBytes ? {} : { segment: inMemory }) });
        continue;
      }
      if (cacheDir && !options.asBytes) toOpen.push({ at: out.length, key, ids, segment });
      else {
        // Bytes to hand to another thread are read whole.
        const cached = cacheDir ? readCachedSegment(cacheDir, key) : undefined;
        if (cached) {
          out.push({ key, bytes: cached.bytes });
          continue;
        }
        toBuild.push({ at: out.length, key, ids, segment });
      }
      out.push({ key });
    }
    // A segment for this thread reads its texts later. The files are read together, off this
    // thread, and each is decoded as it arrives: decoding overlaps reading.
    const opened: (Segment | undefined)[] = [];
    let nextToOpen = 0;
    const lane = async () => {
      while (nextToOpen < toOpen.length) {
        const i = nextToOpen++;
        opened[i] = await openCachedSegment(cacheDir!, toOpen[i]!.key);
      }
    };
    const opening = Promise.all(Array.from({ length: Math.min(READ_LANES, toOpen.length) }, lane));
    const steps = toOpen.length > 0 ? (options.whileReading ?? []) : [];
    for (const step of steps) {
      try {
        step();
      } catch {
        // work done while waiting must never fail the load
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await opening;
    toOpen.forEach((o, i) => {
      const segment = opened[i];
      if (segment) out[o.at] = { key: o.key, segment };
      else toBuild.push(o);
    });
    toBuild.sort((a, b) => a.at - b.at);

    const jobs: SegmentJob[] = toBuild.map(({ key, ids, segment }) => ({
      key,
      segment,
      ids,
      root,
      cacheDir,
      articles: ids.map((id) => [id, resolved.articles.get(id)!]),
      translations: ids.flatMap((id) => (resolved.translations.has(id) ? [[id, resolved.translations.get(id)!] as [string, FileRecord[]]] : [])),
    }));
    let buildPool = poolFor(jobs.reduce((n, j) => n + j.ids.length, 0));
    const unbuilt = new Set(jobs.keys());
    if (buildPool) {
      // Each segment is built by the thread that scanned its files (it kept them parsed).
      const pool = buildPool;
      const done = await Promise.all(
        jobs.map(async (job, i) => {
          const bytes = await pool.runOn<Uint8Array>(job.segment, { segment: job });
          const { at, key } = toBuild[i]!;
          out[at] = options.asBytes ? { key, bytes } : { key, segment: deserializeSegment(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) };
          unbuilt.delete(i);
          options.onProgress?.(paths.length, paths.length);
        }),
      ).catch(() => undefined);
      if (!done) buildPool = undefined; // what the threads did not finish is built below
    }
    if (unbuilt.size > 0) {
      const parsedOf = (file: string): Parsed | undefined => {
        let p = parsed.get(file);
        if (!p) {
          p = readRecord(root, join(root, file)).parsed;
          if (p) parsed.set(file, p);
        }
        return p;
      };
      // A few segments to build (a reload): each from the segment it replaces, where that is
      // at hand, so that only its edited articles are read and analyzed.
      const previousPlan = previous && toBuild.length ? segmentPlan(resolveRecords(previous.files)) : undefined;
      toBuild.forEach(({ at, key, segment: number }, i) => {
        if (!unbuilt.has(i)) return;
        const job = jobs[i]!;
        const oldKey = previousPlan?.get(number)?.key;
        const old = oldKey ? (options.have?.(oldKey) ?? (cacheDir ? readCachedSegment(cacheDir, oldKey)?.segment : undefined)) : undefined;
        const unchanged = old ? unchangedArticles(old, resolved) : new Map<string, Article>();
        const articles = job.ids.map((id) => unchanged.get(id) ?? assembleArticle(id, resolved, parsedOf)).filter((a) => a !== undefined);
        const segment = buildSegment(key, articles, old);
        let bytes: Uint8Array | undefined;
        if (cacheDir || options.asBytes) bytes = serializeSegment(segment);
        if (cacheDir && bytes) writeSegmentFile(cacheDir, key, bytes);
        out[at] = options.asBytes ? { key, bytes } : { key, segment };
        options.onProgress?.(paths.length, paths.length);
      });
    }

    if (cacheDir) {
      try {
        const changed = !previous || toBuild.length > 0 || toRead.length > 0 || previous.files.length !== all.length;
        if (changed) {
          const manifest: Manifest = { version: formatVersion(), root, scannedAt, files: all, segments: out.map((s) => s.key) };
          writeAtomic(manifestFile(cacheDir, root), JSON.stringify(manifest));
          pruneCache(cacheDir);
        }
      } catch {
        // as above: the cache is an optimization
      }
    }
    const threadsUsed = { scan: scanPool?.size ?? 1, build: buildPool?.size ?? 1 };
    return { dir: root, errors: resolved.errors, fingerprint: resolved.fingerprint, segments: out, built: toBuild.length, threads: threadsUsed };
  } finally {
    await pool?.close();
  }
}

/**
 * A cached segment, checked: a file that is not a sound segment of this key is ignored (and
 * rebuilt). The check reads the header, not the arrays and texts.
 */
function readCachedSegment(cacheDir: string, key: string): { bytes: Buffer; segment: Segment } | undefined {
  try {
    const bytes = readFileSync(segmentFile(cacheDir, key));
    const segment = deserializeSegment(bytes);
    return segment.key === key ? { bytes, segment } : undefined;
  } catch {
    return undefined; // not cached yet, or unreadable
  }
}

/** Closes a segment file once no article can read its texts any more. */
const segmentFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/**
 * A cached segment without its texts, which stay in the file and are read per article when
 * first needed (a quarter of the bytes a start used to read, and of the memory it held).
 * The file stays open while the segment lives: a newer file under the same name or the
 * cache's pruning leave its content readable.
 */
async function openCachedSegment(cacheDir: string, key: string): Promise<Segment | undefined> {
  let fd: number | undefined;
  try {
    fd = openSync(segmentFile(cacheDir, key), 'r');
    const size = fstatSync(fd).size;
    const prelude = Buffer.alloc(PRELUDE);
    if (readSync(fd, prelude, 0, PRELUDE, 0) !== PRELUDE) return undefined;
    const length = segmentTextsStart(prelude, size);
    // Its own memory, so its typed arrays are aligned.
    const bytes = Buffer.from(new ArrayBuffer(length));
    if (!(await readFullyInBackground(fd, bytes))) return undefined;
    const file = fd;
    const texts: TextSource = {
      size,
      read: (from, to) => {
        const text = Buffer.allocUnsafe(to - from);
        if (!readFully(file, text, length + from)) throw new Error(`segment file ${key} was cut short`);
        return text.toString('utf8');
      },
    };
    const segment = deserializeSegment(bytes, texts);
    if (segment.key !== key) return undefined;
    // Every article of the segment reads through `texts` (an article can outlive its segment,
    // reused by the next one): the file closes when none can read any more.
    segmentFiles.register(texts, file);
    fd = undefined; // the segment holds it now
    return segment;
  } catch {
    return undefined; // not cached yet, or unreadable
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const readInBackground = promisify(read);

/** Fill `buf` from the start of the file, in libuv's thread pool; false when the file ends first. */
async function readFullyInBackground(fd: number, buf: Buffer): Promise<boolean> {
  for (let at = 0; at < buf.length; ) {
    const { bytesRead } = await readInBackground(fd, buf, at, buf.length - at, at);
    if (bytesRead === 0) return false;
    at += bytesRead;
  }
  return true;
}

/** Fill `buf` from the file at `position`; false when the file ends first. */
function readFully(fd: number, buf: Buffer, position: number): boolean {
  for (let at = 0; at < buf.length; ) {
    const n = readSync(fd, buf, at, buf.length - at, position + at);
    if (n === 0) return false;
    at += n;
  }
  return true;
}

function writeSegmentFile(cacheDir: string, key: string, bytes: Uint8Array): void {
  try {
    writeAtomic(segmentFile(cacheDir, key), bytes);
  } catch {
    // a read-only cache folder must not stop the bot from answering
  }
}

/** Each segment's key and article ids, by segment number, in order. */
function segmentPlan(resolved: Resolved): Map<number, { key: string; ids: string[] }> {
  const members = new Map<number, string[]>();
  for (const id of resolved.articles.keys()) {
    const s = segmentOf(id);
    const list = members.get(s);
    if (list) list.push(id);
    else members.set(s, [id]);
  }
  const plan = new Map<number, { key: string; ids: string[] }>();
  for (const [segment, ids] of [...members].sort((a, b) => a[0] - b[0])) {
    ids.sort();
    const signature = ids.map((id) => [id, resolved.articles.get(id)!.hash, ...(resolved.translations.get(id) ?? []).map((t) => `${t.lang}:${t.hash}`)].join(':'));
    plan.set(segment, { key: createHash('sha256').update(formatVersion()).update(signature.join('\n')).digest('hex').slice(0, 24), ids });
  }
  return plan;
}

/** The articles of a segment whose file and translations are still exactly what the scan found. */
function unchangedArticles(segment: Segment, resolved: Resolved): Map<string, Article> {
  const same = new Map<string, Article>();
  for (const a of segment.articles) {
    const record = resolved.articles.get(a.id);
    if (!record || record.file !== a.file || record.hash !== a.hash) continue;
    const now = resolved.translations.get(a.id) ?? [];
    const before = Object.values(a.translations);
    if (now.length === before.length && now.every((t) => a.translations[t.lang!]?.hash === t.hash && a.translations[t.lang!]?.file === t.file)) same.set(a.id, a);
  }
  return same;
}

/**
 * Read the files on the pool's threads, each file on the thread that will build its segment:
 * its article id is guessed from its name (the default id; a translation's name ends in its
 * language), and a wrong guess only means reading that file again at build time.
 */
async function scanInThreads(pool: BuildPool, root: string, paths: string[], onProgress: (files: number) => void): Promise<FileRecord[]> {
  const groups: string[][] = Array.from({ length: SEGMENTS }, () => []);
  for (const path of paths) {
    const guess = defaultId(path).replace(/\.[a-z]{2}$/i, '');
    groups[segmentOf(guess)]!.push(path);
  }
  const byPath = new Map<string, FileRecord>();
  let done = 0;
  await Promise.all(
    Array.from({ length: pool.size }, async (_, thread) => {
      for (let g = thread; g < SEGMENTS; g += pool.size) {
        for (let i = 0; i < groups[g]!.length; i += 250) {
          const chunk = groups[g]!.slice(i, i + 250);
          const records = await pool.runOn<FileRecord[]>(thread, { scan: { root, paths: chunk } });
          chunk.forEach((path, k) => byPath.set(path, records[k]!));
          onProgress((done += chunk.length));
        }
      }
    }),
  );
  return paths.map((path) => byPath.get(path)!);
}

/** One segment built from its files (a build thread's job): its bytes, also written to the cache. */
export function buildSegmentJob(job: SegmentJob, kept?: Map<string, Parsed>): Uint8Array {
  const resolved: Resolved = { articles: new Map(job.articles), translations: new Map(job.translations), errors: [], fingerprint: '' };
  const parsedOf = (file: string) => {
    const p = kept?.get(file);
    if (p) {
      kept!.delete(file);
      return p;
    }
    return readRecord(job.root, join(job.root, file)).parsed;
  };
  const segment = buildSegment(job.key, job.ids.map((id) => assembleArticle(id, resolved, parsedOf)).filter((a) => a !== undefined));
  const bytes = serializeSegment(segment);
  if (job.cacheDir) writeSegmentFile(job.cacheDir, job.key, bytes);
  return bytes;
}

/** Keep the most recent manifests and the segments they use; remove the rest. */
/** The shipped lexicon's compiled file name: its words and this analyzer's version. */
function lexiconFile(): string {
  return `lexicon-${createHash('sha256').update(formatVersion()).update(JSON.stringify(defaultLexiconData())).digest('hex').slice(0, 16)}.json`;
}

/**
 * The shipped lexicon, its keys read from the cache folder when this analyzer compiled the
 * same words before (analyzing its thousands of words was a tenth of a start-up), else
 * compiled and stored there. A broken file is compiled again.
 */
export function cachedLexicon(cacheDir: string | null): Lexicon {
  if (!cacheDir) return defaultLexicon();
  const file = join(cacheDir, lexiconFile());
  try {
    const compiled = JSON.parse(readFileSync(file, 'utf8')) as CompiledLexicon;
    const sound = Array.isArray(compiled.concepts) && compiled.concepts.every((c) => Array.isArray(c.fr) && Array.isArray(c.en)) && Array.isArray(compiled.phrases?.fr) && Array.isArray(compiled.phrases?.en);
    if (sound) return defaultLexicon(compiled);
  } catch {
    // not compiled yet, or unreadable: compiled below
  }
  const lexicon = defaultLexicon();
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeAtomic(file, JSON.stringify(lexicon.compiled()));
  } catch {
    // a read-only cache folder only costs the next start the compiling
  }
  return lexicon;
}

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
    if ((/^segment-.*\.bin$/.test(f) && !used.has(f)) || /^index-.*\.json$/.test(f) || (/^lexicon-.*\.json$/.test(f) && f !== lexiconFile())) {
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
