import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { ReloadReport, Reloader } from '../reloader.js';

/**
 * `/reload` across shards, over the IPC channel between each shard process and the
 * ShardingManager. The shard where an operator ran `/reload` reloads first: it loads the corpus
 * and, when the content changed, builds the index and writes it to CACHE_DIR. Only then does it
 * ask the manager to reload every other shard; they read the same corpus, so they find the
 * index the first one wrote instead of building it again.
 *
 *   shard A ──request──▶ manager ──run──▶ shards B, C…
 *   shard A ◀──done───── manager ◀──ran── shards B, C…
 *
 * Every message is `{ actuReload: … }`, next to discord.js's own IPC messages (`_ready`, `_eval`…).
 */

/** How one shard's reload went. */
export interface ShardOutcome {
  shard: number;
  /**
   * reloaded: the new corpus is served; kept: nothing valid loaded, the old index stays;
   * failed: the reload threw; down: the shard process is not running (dead or respawning);
   * timeout: no answer in time.
   */
  status: 'reloaded' | 'kept' | 'failed' | 'down' | 'timeout';
  articles?: number;
  /** Whether the shard found the index in the cache rather than building it. */
  fromCache?: boolean;
  /** Why it failed (status failed). */
  error?: string;
}

/** What `/reload` reports under a ShardingManager: this shard's full report, and every shard's outcome. */
export interface ShardedReload {
  report: ReloadReport;
  /** One per shard, by shard id, this one included. */
  shards: ShardOutcome[];
  total: number;
}

export type ReloadMessage =
  | { kind: 'request'; id: string; from: number }
  | { kind: 'run'; id: string; from: number }
  | { kind: 'ran'; id: string; outcome: ShardOutcome }
  | { kind: 'done'; id: string; outcomes: ShardOutcome[] };

export function reloadMessage(message: unknown): ReloadMessage | null {
  const m = (message as { actuReload?: unknown } | null)?.actuReload as ReloadMessage | undefined;
  return m && typeof m === 'object' && typeof m.kind === 'string' && typeof m.id === 'string' ? m : null;
}

export function wrap(message: ReloadMessage): { actuReload: ReloadMessage } {
  return { actuReload: message };
}

export function outcomeOf(shard: number, report: ReloadReport): ShardOutcome {
  return { shard, status: report.swapped ? 'reloaded' : 'kept', articles: report.stats.articles, fromCache: report.stats.fromCache };
}

/** The part of `process` a shard talks to the manager through (a child process's IPC channel). */
export interface Ipc {
  send?(message: unknown, callback?: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface ShardReloadsOptions {
  ipc: Ipc;
  log: Logger;
  shard: number;
  total: number;
  /** How long to wait for the other shards (through the manager). Default 150 s. */
  timeoutMs?: number;
}

/**
 * One shard's side of reloading every shard. Created before the bot starts, so a reload asked
 * by another shard meanwhile waits for this shard's engine rather than going unanswered.
 */
export class ShardReloads {
  private readonly pending = new Map<string, (outcomes: ShardOutcome[] | null) => void>();
  private reloader: Reloader | null = null;
  private ready!: (reloader: Reloader) => void;
  private readonly served = new Promise<Reloader>((resolve) => (this.ready = resolve));
  private readonly listener = (message: unknown) => this.onMessage(message);

  constructor(private readonly options: ShardReloadsOptions) {
    options.ipc.on('message', this.listener);
  }

  /** Start answering reloads asked by other shards, with this shard's reloader. */
  serve(reloader: Reloader): void {
    this.reloader = reloader;
    this.ready(reloader);
  }

  close(): void {
    this.options.ipc.off('message', this.listener);
    for (const settle of [...this.pending.values()]) settle(null);
  }

  /**
   * Reload this shard, then every other one. Throws only when this shard's reload throws (then
   * no shard changed). Shards that do not answer in time are reported as such.
   */
  async reloadAll(): Promise<ShardedReload> {
    const { shard, total, log } = this.options;
    const reloader = this.reloader ?? (await this.served);
    const report = await reloader.reload();
    const local = outcomeOf(shard, report);
    if (total <= 1) return { report, shards: [local], total };
    const id = randomUUID();
    // null: the manager did not answer (unreachable, or not in time).
    const others = await new Promise<ShardOutcome[] | null>((resolve) => {
      const settle = (outcomes: ShardOutcome[] | null) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(outcomes);
      };
      const timer = setTimeout(() => settle(null), this.options.timeoutMs ?? 150_000);
      this.pending.set(id, settle);
      this.send({ kind: 'request', id, from: shard }).catch((err: Error) => {
        log.error({ err: { name: err.name, message: err.message } }, 'could not ask the manager to reload the other shards');
        settle(null);
      });
    });
    const byShard = new Map((others ?? []).map((o) => [o.shard, o]));
    byShard.set(shard, local);
    const shards = Array.from({ length: total }, (_, i): ShardOutcome => byShard.get(i) ?? { shard: i, status: others ? 'down' : 'timeout' });
    return { report, shards, total };
  }

  private onMessage(raw: unknown): void {
    const message = reloadMessage(raw);
    if (!message) return;
    if (message.kind === 'done') this.pending.get(message.id)?.(message.outcomes);
    else if (message.kind === 'run') void this.run(message.id, message.from);
  }

  /** Another shard reloaded: reload here too, and tell the manager how it went. */
  private async run(id: string, from: number): Promise<void> {
    const { shard, log } = this.options;
    let outcome: ShardOutcome;
    try {
      const reloader = this.reloader ?? (await this.served);
      const report = await reloader.reload();
      outcome = outcomeOf(shard, report);
      log.info({ from, swapped: report.swapped, articles: report.stats.articles, fromCache: report.stats.fromCache, added: report.added, removed: report.removed, changed: report.changed }, 'reload asked by another shard');
    } catch (err) {
      outcome = { shard, status: 'failed', error: (err as Error).message };
      log.error({ from, err }, 'reload asked by another shard failed');
    }
    await this.send({ kind: 'ran', id, outcome }).catch((err: Error) => log.warn({ err: { name: err.name, message: err.message } }, 'could not report a reload to the manager'));
  }

  private send(message: ReloadMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const { ipc } = this.options;
      if (!ipc.send) {
        reject(new Error('no IPC channel to the sharding manager'));
        return;
      }
      ipc.send(wrap(message), (error) => (error ? reject(error) : resolve()));
    });
  }
}
