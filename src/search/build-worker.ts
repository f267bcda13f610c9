// A worker thread for index work, so neither a /reload nor a large build holds up the bot's
// event loop: whole reloads (scan the corpus, build changed segments) for src/search/builder.ts,
// and single scan or segment jobs for the threads of a large build (src/search/pool.ts).
// Segments come back as bytes, transferred rather than copied.
import { parentPort } from 'node:worker_threads';
import { parseArticleFile, readRecord, type FileRecord, type Parsed } from '../corpus/loader.js';
import type { Article } from '../corpus/types.js';
import { buildSegment, deserializeSegment, serializeSegment } from './segment.js';
import type { SegmentJob } from './pool.js';
import { buildSegmentJob, loadSegments, type StoreResult } from './store.js';

export interface BuildRequest {
  id: number;
  corpusDir: string;
  cacheDir: string | null;
  /** Segments the asking thread already holds: not sent back. */
  known: string[];
}

export type BuildReply = { id: number; result: StoreResult } | { id: number; error: { name: string; message: string } } | { id: number; pong: true };

export type PoolJob = { id: number; scan: { root: string; paths: string[] } } | { id: number; segment: SegmentJob };

/** What this thread parsed while scanning, by file, until a segment job of its own uses it. */
const kept = new Map<string, Parsed>();
export type PoolReply = { id: number; result: FileRecord[] | Uint8Array } | { id: number; error: string };

/** Only whole buffers can be transferred: copy the rare one that shares its memory. */
function transferable(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength ? new Uint8Array(bytes) : bytes;
}

function runJob(job: PoolJob): void {
  try {
    if ('scan' in job) {
      const records = job.scan.paths.map((path) => {
        const r = readRecord(job.scan.root, path);
        if (r.parsed) kept.set(r.record.file, r.parsed);
        return r.record;
      });
      parentPort!.postMessage({ id: job.id, result: records } satisfies PoolReply);
    } else {
      const bytes = transferable(buildSegmentJob(job.segment, kept));
      parentPort!.postMessage({ id: job.id, result: bytes } satisfies PoolReply, [bytes.buffer as ArrayBuffer]);
    }
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error).message } satisfies PoolReply);
  }
}

/**
 * The build path run on a few small articles, a few times, when the bot starts this thread:
 * the first /reload otherwise ran it all cold (interpreted), a fifth slower than the next.
 * Parsing, a full build, serializing, loading and an incremental build, in both languages.
 */
let warmed = false;
function warmUp(): void {
  if (warmed) return;
  warmed = true;
  try {
    const file = (n: number, lang: 'fr' | 'en', body: string) =>
      `---\ntitle: ${lang === 'fr' ? 'Essai' : 'Trial'} ${n}\nlang: ${lang}\npublished: 2020-01-0${n}\n${lang === 'en' ? `translation_of: essai-${n}\n` : ''}---\n\n${body}\n`;
    const fr = 'Le régulateur a rétabli les appels le 4 novembre, après l’annonce des opérateurs.\n\nSkype, WhatsApp et Viber fonctionnent de nouveau, selon l’ANRT.';
    const en = 'The regulator restored calls on 4 November, after the operators’ announcement.\n\nSkype, WhatsApp and Viber work again, according to the ANRT.';
    const articles: Article[] = [];
    for (let n = 1; n <= 4; n++) {
      const parsed = parseArticleFile(`essai-${n}.md`, file(n, 'fr', `${fr} ${n}`));
      const translated = parseArticleFile(`essai-${n}.en.md`, file(n, 'en', `${en} ${n}`));
      if (parsed.kind !== 'article' || translated.kind !== 'translation') return;
      articles.push({ ...parsed.article, translations: { en: translated.translation } });
    }
    for (let round = 0; round < 8; round++) {
      const loaded = deserializeSegment(Buffer.from(serializeSegment(buildSegment('warm-up', articles))));
      serializeSegment(buildSegment('warm-up', [...loaded.articles.slice(1), articles[0]!], loaded));
    }
  } catch {
    // only an optimization
  }
}

parentPort?.on('message', (request: BuildRequest | PoolJob | { id: number; ping: true }) => {
  if ('ping' in request) {
    warmUp();
    parentPort!.postMessage({ id: request.id, pong: true });
    return;
  }
  if ('scan' in request || 'segment' in request) {
    runJob(request);
    return;
  }
  void (async () => {
    try {
      const result = await loadSegments({ corpusDir: request.corpusDir, cacheDir: request.cacheDir, known: new Set(request.known), asBytes: true });
      const transfer: ArrayBuffer[] = [];
      for (const s of result.segments) {
        if (!s.bytes) continue;
        s.bytes = transferable(s.bytes);
        transfer.push(s.bytes.buffer as ArrayBuffer);
      }
      parentPort!.postMessage({ id: request.id, result } satisfies BuildReply, transfer);
    } catch (err) {
      const e = err as Error;
      parentPort!.postMessage({ id: request.id, error: { name: e.name, message: e.message } } satisfies BuildReply);
    }
  })();
});
