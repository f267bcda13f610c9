/**
 * One shard of the bot, as a child process of the ShardingManager (src/discord/sharding.ts).
 * The manager sets SHARDS, SHARD_COUNT and SHARDING_MANAGER in the environment; discord.js's
 * Client reads them, so the normal bot runtime connects as that shard and only hears of its
 * servers. The rest of the configuration is the manager's environment.
 */
// First: it sets V8's flags before any other module's code runs.
import '../v8-tuning.js';
import { readBotConfig } from '../config.js';
import { createLogger } from '../log.js';
import { installProcessGuards } from '../process-guards.js';
import { startBotRuntime, type BotRuntime } from './runtime.js';
import { ShardReloads } from './shard-reload.js';

const shardIds = JSON.parse(process.env.SHARDS ?? '[0]') as number | number[];
const shard = Array.isArray(shardIds) ? (shardIds[0] ?? 0) : shardIds;
const total = Number(process.env.SHARD_COUNT ?? 1);

const config = readBotConfig();
const log = createLogger(config.LOG_LEVEL).child({ shard });
installProcessGuards(log);

// Listening before the bot starts: a reload asked by another shard meanwhile waits for the engine.
const reloads = new ShardReloads({ ipc: process, log, shard, total });
let runtime: BotRuntime | null = null;
let stopping = false;

async function stop(reason: string, code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log.info({ reason }, 'shard shutting down');
    const hardStop = setTimeout(() => process.exit(code), 10_000);
    hardStop.unref();
    reloads.close();
    await runtime?.stop().catch((err: unknown) => log.warn({ err }, 'could not disconnect cleanly'));
    process.exit(code);
  }
  return new Promise<never>(() => undefined);
}

process.once('SIGINT', () => void stop('SIGINT', 0));
process.once('SIGTERM', () => void stop('SIGTERM', 0));
// The manager is gone (killed, crashed): a shard without it must not linger.
process.once('disconnect', () => void stop('manager gone', 0));

try {
  runtime = await startBotRuntime(config, log);
} catch (err) {
  // A wrong token or an unreachable Discord: say so plainly (the token itself is never logged).
  log.fatal({ err: { name: (err as Error).name, message: (err as Error).message } }, 'could not start the shard');
  await stop('start failed', 1);
}
if (runtime) {
  reloads.serve(runtime.ctx.reloader);
  runtime.ctx.shards = reloads;
}
