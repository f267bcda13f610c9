import { readBotConfig } from '../config.js';
import { startBotRuntime } from '../discord/runtime.js';
import { createLogger } from '../log.js';
import { installProcessGuards } from '../process-guards.js';
import { context } from './common.js';
import { consoleCommand } from './console.js';

/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, else the local console. The bot
 * stops cleanly on SIGINT/SIGTERM; stray errors are logged, never silent, never fatal.
 */
export async function startCommand(argv: string[]): Promise<number> {
  const { config } = context();
  if (!config.DISCORD_TOKEN) return consoleCommand(argv);
  const botConfig = readBotConfig();
  const log = createLogger(botConfig.LOG_LEVEL);
  installProcessGuards(log);
  let runtime: Awaited<ReturnType<typeof startBotRuntime>>;
  try {
    runtime = await startBotRuntime(botConfig, log);
  } catch (err) {
    // A wrong token or an unreachable Discord: say so plainly (the token itself is never logged).
    log.fatal({ err: { name: (err as Error).name, message: (err as Error).message } }, 'could not start the bot');
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      void runtime.stop().finally(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
