import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { FileRecord } from '../corpus/loader.js';
import type { PoolJob, PoolReply } from './build-worker.js';

/**
 * A worker thread running src/search/build-worker.ts: from the compiled bundle, or from the
 * TypeScript sources through tsx, as the calling thread runs (Node 20 does not apply
 * `--import tsx` to a worker's entry, so tsx's hooks are registered inside the worker first).
 */
export function startBuildWorker(youngMb = RELOAD_YOUNG_MB): Worker {
  const self = import.meta.url;
  const ts = self.endsWith('.ts');
  const entry = new URL(`./build-worker.${ts ? 'ts' : 'js'}`, self).href;
  // Indexing makes garbage fast, and with V8's defaults two threads let a few hundred MB of
  // it pile up before collecting. Explicit limits make V8 collect sooner. A thread that would
  // need more fails, and the calling thread does its work (store.ts).
  const resourceLimits = { maxYoungGenerationSizeMb: youngMb, maxOldGenerationSizeMb: 512 };
  // Loaded here, when a thread is first wanted: a start from a warm cache never wants one,
  // and loading the module took it 4–5 ms.
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  return ts
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(self)}))`, { eval: true, resourceLimits })
    : new Worker(new URL(entry), { resourceLimits });
}

/**
 * Young generations of the index threads. The reload thread works beside a process that
 * holds the whole index, so it collects often (a small young generation: the process's peak
 * is then the index plus little). The threads of a large build mostly run at start, before
 * there is an index to hold (a /reload that finds thousands of changed files also uses them,
 * beside the old index): a larger young generation spends less time collecting (measured at
 * 10,000 articles, two threads: build 10.4-11.4 s → 9.6-9.8 s, its peak 410 → 460 MB,
 * under the 540 MB of a reload beside a loaded index).
 */
const RELOAD_YOUNG_MB = 16;
const BUILD_YOUNG_MB = 48;

/** Below this many files to read or articles to index, threads cost more than they save. */
export const PARALLEL_MIN = 2000;

/** How many threads a large build uses: one per core, as the calling thread only waits. */
export function parallelism(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export interface SegmentJob {
  key: string;
  /** Its number (segmentOf), which also picks its thread. */
  segment: number;
  ids: string[];
  root: string;
  cacheDir: string | null;
  /** The records of the segment's articles and of their translations, from the scan. */
  articles: [string, FileRecord][];
  translations: [string, FileRecord[]][];
}

/**
 * Threads for one large scan or build, then gone. A thread keeps what it parsed while
 * scanning, so the segments whose files it read are best built by it (src/search/store.ts).
 */
export class BuildPool {
  private readonly workers: Worker[];
  /** Threads that have stopped: a job sent to one would never be answered. */
  private readonly stopped = new Set<Worker>();
  private next = 0;

  constructor(size = parallelism()) {
    // Referenced: a build awaited by nothing else (the CLI's) must keep the process alive.
    // close() ends them.
    this.workers = Array.from({ length: size }, () => {
      const worker = startBuildWorker(BUILD_YOUNG_MB);
      worker.once('exit', () => this.stopped.add(worker));
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  private run<R>(worker: Worker, job: Omit<PoolJob, 'id'>): Promise<R> {
    const id = this.next++;
    // A thread that stopped during an earlier job (out of memory, a missing script) sends no
    // more events: without this, a job sent to it waited forever.
    if (this.stopped.has(worker)) return Promise.reject(new Error('index builder thread stopped'));
    return new Promise<R>((resolve, reject) => {
      const onMessage = (reply: PoolReply) => {
        if (reply.id !== id) return;
        cleanup();
        if ('error' in reply) reject(new Error(reply.error));
        else resolve(reply.result as R);
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`index builder thread stopped (exit code ${code})`));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ ...job, id });
    });
  }

  /** Run one job on the given thread (jobs on one thread run one after the other). */
  runOn<R>(thread: number, job: Omit<PoolJob, 'id'>): Promise<R> {
    return this.run<R>(this.workers[thread % this.workers.length]!, job);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
