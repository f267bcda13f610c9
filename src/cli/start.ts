import { readBotConfig } from '../config.js';
import { startBotRuntime } from '../discord/runtime.js';
import { startShardManager } from '../discord/sharding.js';
import { createLogger, type Logger } from '../log.js';
import { installProcessGuards } from '../process-guards.js';
import { context } from './common.js';
import { consoleCommand } from './console.js';

/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, else the local console. With
 * DISCORD_SHARDS the bot runs as shard processes under discord.js's ShardingManager. The bot
 * stops cleanly on SIGINT/SIGTERM; stray errors are logged, never silent, never fatal.
 */
export async function startCommand(argv: string[]): Promise<number> {
  const { config } = context();
  if (!config.DISCORD_TOKEN) return consoleCommand(argv);
  const botConfig = readBotConfig();
  const log = createLogger(botConfig.LOG_LEVEL);
  installProcessGuards(log);
  let stop: () => Promise<void>;
  try {
    if (botConfig.DISCORD_SHARDS !== undefined) {
      const sharded = await startShardManager({ ...botConfig, DISCORD_SHARDS: botConfig.DISCORD_SHARDS }, log.child({ role: 'manager' }));
      stop = sharded.stop;
    } else {
      stop = (await startBotRuntime(botConfig, log)).stop;
    }
  } catch (err) {
    // A wrong token or an unreachable Discord: say so plainly (the token itself is never logged).
    log.fatal({ err: { name: (err as Error).name, message: (err as Error).message } }, 'could not start the bot');
    return 1;
  }
  await untilSignal(log, stop);
  return 0;
}

/** Wait for SIGINT or SIGTERM, then stop the bot (or the shards). */
function untilSignal(log: Logger, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log.info({ signal }, 'shutting down');
      void stop().finally(resolve);
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  });
}
