import type { Worker } from 'node:worker_threads';
import { CorpusFileError } from '../corpus/loader.js';
import type { BuildReply, BuildRequest } from './build-worker.js';
import { startBuildWorker } from './pool.js';
import type { StoreResult } from './store.js';

/**
 * Runs corpus scans and segment builds in one long-lived worker thread, started on first use.
 * It keeps the process alive only while a request is in flight: an idle worker never holds
 * up an exit, and a reload awaited by nothing else still completes. A worker that fails or
 * exits fails the requests in flight; the next request starts a new one.
 */
export class BackgroundBuilder {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: StoreResult) => void; reject: (e: Error) => void }>();
  private readonly pings = new Map<number, () => void>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = startBuildWorker();
    worker.on('message', (reply: BuildReply) => {
      if ('pong' in reply) {
        this.pings.get(reply.id)?.();
        this.pings.delete(reply.id);
      } else {
        const waiting = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (waiting && 'result' in reply) waiting.resolve(reply.result);
        else if (waiting && 'error' in reply) waiting.reject(reply.error.name === 'CorpusFileError' ? new CorpusFileError(reply.error.message) : new Error(reply.error.message));
      }
      this.refWhileBusy(worker);
    });
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const [, p] of this.pending) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`index builder stopped (exit code ${code})`)));
    // After the listeners: in Node 20, adding a 'message' listener refs the worker again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private refWhileBusy(worker: Worker): void {
    if (this.pending.size > 0 || this.pings.size > 0) worker.ref();
    else worker.unref();
  }

  build(request: Omit<BuildRequest, 'id'>): Promise<StoreResult> {
    const worker = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.refWhileBusy(worker);
      worker.postMessage({ ...request, id } satisfies BuildRequest);
    });
  }

  /** Start the worker now and wait until it is ready, so the first reload pays no start-up. */
  warm(): Promise<void> {
    const worker = this.start();
    const id = this.next++;
    return new Promise((resolve) => {
      this.pings.set(id, resolve);
      this.refWhileBusy(worker);
      worker.postMessage({ id, ping: true });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
