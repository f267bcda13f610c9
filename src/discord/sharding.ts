import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager, type RESTGetAPIGatewayBotResult, type Shard } from 'discord.js';
import type { Config } from '../config.js';
import { Engine } from '../engine.js';
import type { Logger } from '../log.js';
import { PROCESS_FLAGS } from '../v8-tuning.js';
import { reloadMessage, wrap, type ShardOutcome } from './shard-reload.js';

/** The shard process's entry: the normal bot runtime, on the shard ids the manager gives it. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
export const SHARD_FILE = fileURLToPath(new URL(FROM_SOURCES ? './shard.ts' : './shard.js', import.meta.url));

/** Discord lets one shard per rate-limit bucket identify every 5 s (discord.js waits 5.5 s). */
const IDENTIFY_INTERVAL_MS = 5_500;

export interface ShardManagerOptions {
  /** The shard entry file (default: src/discord/shard.ts). */
  file?: string;
  /** How long a shard may take to load its index and connect. Default 120 s. */
  readyTimeoutMs?: number;
  /** How long a shard may take to reload when another one asks. Default 120 s. */
  reloadTimeoutMs?: number;
}

export interface ShardManagerHandle {
  manager: ShardingManager;
  totalShards: number;
  /** Kill every shard (they disconnect on SIGTERM) and wait for them to exit. */
  stop(): Promise<void>;
}

export type ShardedConfig = Config & { DISCORD_TOKEN: string; DISCORD_SHARDS: number | 'auto' };

/** `GET /gateway/bot` through DISCORD_API_URL (discord.js's own "auto" always asks discord.com). */
export async function fetchGatewayBot(config: Pick<Config, 'DISCORD_API_URL'> & { DISCORD_TOKEN: string }): Promise<{ shards: number; maxConcurrency: number; remaining: number }> {
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(config.DISCORD_TOKEN);
  const info = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  return { shards: info.shards, maxConcurrency: Math.max(1, info.session_start_limit.max_concurrency), remaining: info.session_start_limit.remaining };
}

/**
 * Build the index cache once, then run one bot process per shard under discord.js's
 * ShardingManager, and relay `/reload` from any shard to all the others. The shard processes
 * read their configuration from this process's environment.
 */
export async function startShardManager(config: ShardedConfig, log: Logger, options: ShardManagerOptions = {}): Promise<ShardManagerHandle> {
  // Ask Discord first: a wrong token fails here, before any work.
  const gateway = await fetchGatewayBot(config);
  const totalShards = config.DISCORD_SHARDS === 'auto' ? Math.max(1, gateway.shards) : config.DISCORD_SHARDS;
  // Shards whose ids differ modulo max_concurrency may identify at the same time: spacing the
  // spawns by 5.5 s / max_concurrency keeps each bucket to one identify per 5.5 s.
  const spawnDelay = Math.ceil(IDENTIFY_INTERVAL_MS / gateway.maxConcurrency);
  log.info({ shards: totalShards, configured: config.DISCORD_SHARDS, recommended: gateway.shards, maxConcurrency: gateway.maxConcurrency, spawnDelayMs: spawnDelay }, 'starting shards');
  if (gateway.remaining < totalShards) log.warn({ remaining: gateway.remaining, shards: totalShards }, 'fewer session starts left today than shards to start');

  // Load the corpus and write its index to CACHE_DIR before any shard starts: each shard then
  // loads the cached index instead of building it. The engine itself is dropped at once.
  const opened = await Engine.open({ corpusDir: config.CORPUS_DIR, cacheDir: config.CACHE_DIR });
  log.info({ articles: opened.stats.articles, passages: opened.stats.passages, errors: opened.stats.errors.length, fromCache: opened.stats.fromCache, ms: Math.round(opened.stats.ms) }, 'index cache ready for the shards');

  const manager = new ShardingManager(options.file ?? SHARD_FILE, {
    totalShards,
    token: config.DISCORD_TOKEN,
    mode: 'process',
    respawn: true,
    // Shards run the same code as the manager: the compiled bundle (bin/actu-qa.mjs), or the
    // TypeScript sources through tsx (resolved here, so the shards find it whatever the
    // working directory); with the process flags `npm start` gives the manager (v8-tuning.ts).
    execArgv: [...PROCESS_FLAGS, ...(FROM_SOURCES ? ['--import', import.meta.resolve('tsx')] : [])],
  });
  const reloadTimeoutMs = options.reloadTimeoutMs ?? 120_000;

  let stopping = false;
  manager.on('shardCreate', (shard: Shard) => {
    // mode 'process': every shard is a child process
    shard.on('spawn', (spawned) => {
      const child = spawned as ChildProcess;
      log.info({ shard: shard.id, pid: child.pid }, 'shard process started');
      child.once('exit', (code, signal) => {
        if (stopping) log.info({ shard: shard.id, pid: child.pid, code, signal }, 'shard process stopped');
        else log.warn({ shard: shard.id, pid: child.pid, code, signal, respawn: manager.respawn }, 'shard process exited');
      });
    });
    shard.on('ready', () => log.info({ shard: shard.id }, 'shard ready'));
    shard.on('error', (err: Error) => log.error({ shard: shard.id, err: { name: err.name, message: err.message } }, 'shard error'));
    shard.on('message', (raw: unknown) => {
      const message = reloadMessage(raw);
      if (message?.kind !== 'request') return;
      void relayReload(manager, shard, message.id, message.from, reloadTimeoutMs, log);
    });
  });

  const stop = async (): Promise<void> => {
    stopping = true;
    manager.respawn = false;
    const children = [...manager.shards.values()].flatMap((shard) => {
      const child = shard.process;
      if (!child) return [];
      const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
      shard.kill(); // SIGTERM: the shard disconnects from Discord and exits
      return [{ child, exited }];
    });
    await Promise.all(
      children.map(async ({ child, exited }) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };

  try {
    await manager.spawn({ amount: totalShards, delay: spawnDelay, timeout: options.readyTimeoutMs ?? 120_000 });
  } catch (err) {
    await stop();
    throw err;
  }
  log.info({ shards: totalShards }, 'all shards ready');
  return { manager, totalShards, stop };
}

/** A shard reloaded: reload every other one (at once: they all find the index in the cache) and answer it. */
async function relayReload(manager: ShardingManager, from: Shard, id: string, fromId: number, timeoutMs: number, log: Logger): Promise<void> {
  const others = [...manager.shards.values()].filter((s) => s.id !== from.id);
  const outcomes = await Promise.all(others.map((shard) => runReload(shard, id, fromId, timeoutMs)));
  log.info({ from: fromId, outcomes }, 'reload relayed to the other shards');
  try {
    await from.send(wrap({ kind: 'done', id, outcomes }));
  } catch (err) {
    log.warn({ shard: from.id, err: { name: (err as Error).name, message: (err as Error).message } }, 'could not report the reload to the shard that asked');
  }
}

function runReload(shard: Shard, id: string, from: number, timeoutMs: number): Promise<ShardOutcome> {
  if (!shard.process) return Promise.resolve({ shard: shard.id, status: 'down' });
  return new Promise((resolve) => {
    const finish = (outcome: ShardOutcome) => {
      clearTimeout(timer);
      shard.off('message', onMessage);
      shard.off('death', onDeath);
      resolve(outcome);
    };
    const onMessage = (raw: unknown) => {
      const message = reloadMessage(raw);
      if (message?.kind === 'ran' && message.id === id) finish({ ...message.outcome, shard: shard.id });
    };
    const onDeath = () => finish({ shard: shard.id, status: 'down' });
    const timer = setTimeout(() => finish({ shard: shard.id, status: 'timeout' }), timeoutMs);
    shard.on('message', onMessage);
    shard.on('death', onDeath);
    shard.send(wrap({ kind: 'run', id, from })).catch(() => finish({ shard: shard.id, status: 'down' }));
  });
}
