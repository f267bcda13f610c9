// A worker thread that scans the corpus and builds changed segments, so a /reload never
// holds up the bot's event loop. Segments come back as bytes (transferred, not copied).
import { parentPort } from 'node:worker_threads';
import { loadSegments, type StoreResult } from './store.js';

export interface BuildRequest {
  id: number;
  corpusDir: string;
  cacheDir: string | null;
  /** Segments the asking thread already holds: not sent back. */
  known: string[];
}

export type BuildReply = { id: number; result: StoreResult } | { id: number; error: { name: string; message: string } } | { id: number; pong: true };

parentPort?.on('message', (request: BuildRequest | { id: number; ping: true }) => {
  if ('ping' in request) {
    parentPort!.postMessage({ id: request.id, pong: true });
    return;
  }
  void (async () => {
    try {
      const result = await loadSegments({ corpusDir: request.corpusDir, cacheDir: request.cacheDir, known: new Set(request.known), asBytes: true });
      // Only whole buffers can be transferred: copy the rare one that shares its memory.
      const transfer: ArrayBuffer[] = [];
      for (const s of result.segments) {
        if (!s.bytes) continue;
        if (s.bytes.byteOffset !== 0 || s.bytes.byteLength !== s.bytes.buffer.byteLength) s.bytes = new Uint8Array(s.bytes);
        transfer.push(s.bytes.buffer as ArrayBuffer);
      }
      parentPort!.postMessage({ id: request.id, result } satisfies BuildReply, transfer);
    } catch (err) {
      const e = err as Error;
      parentPort!.postMessage({ id: request.id, error: { name: e.name, message: e.message } } satisfies BuildReply);
    }
  })();
});
