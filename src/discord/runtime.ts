import { loadCommands } from '../../commands/index.js';
import { Answering } from '../answering.js';
import { generationSettings } from '../generate/client.js';
import type { Config } from '../config.js';
import { Engine } from '../engine.js';
import type { Logger } from '../log.js';
import { Reloader } from '../reloader.js';
import { createBot } from './bot.js';
import type { BotContext } from './context.js';
import { Feedback } from './feedback.js';
import { AskRateLimiter } from './rate-limit.js';
import { AnswerSessions } from './sessions.js';

export interface BotRuntime {
  ctx: BotContext;
  client: ReturnType<typeof createBot>['client'];
  stop(): Promise<void>;
}

/** Load the corpus, build the context and log in: the bot, ready to answer. */
export async function startBotRuntime(config: Config & { DISCORD_TOKEN: string }, log: Logger): Promise<BotRuntime> {
  const { engine, stats } = await Engine.open({ corpusDir: config.CORPUS_DIR, cacheDir: config.CACHE_DIR });
  for (const e of stats.errors) log.warn({ file: e.file, reason: e.reason }, `corpus file skipped: ${e.file}: ${e.reason}`);
  log.info({ articles: stats.articles, passages: stats.passages, translations: stats.translations, fromCache: stats.fromCache, ms: Math.round(stats.ms) }, 'corpus loaded');
  // The reload worker starts now, beside the gateway login, so /reload pays no start-up.
  void engine.prepareReload().catch((err: unknown) => log.warn({ err }, 'reload worker could not start; reloads will run on the main thread'));
  // Compile the query path before the first user asks (in small steps, beside the login).
  void engine.warmUp().catch((err: unknown) => log.warn({ err }, 'warm-up failed'));
  const generation = await generationSettings(config);
  log.info({ generation: generation ? { model: generation.model, timeoutMs: generation.timeoutMs } : 'off' }, 'answers');
  const ctx: BotContext = {
    engine,
    answering: new Answering(engine, {
      generation,
      log,
      userDailyLimit: config.GENERATION_USER_DAILY_LIMIT,
      dailyLimit: config.GENERATION_DAILY_LIMIT,
      cacheSize: config.GENERATION_CACHE_SIZE,
    }),
    reloader: new Reloader(engine),
    config,
    log,
    sessions: new AnswerSessions(),
    feedback: new Feedback(),
    limiter: new AskRateLimiter(config.ASK_RATE_LIMIT_COUNT, config.ASK_RATE_LIMIT_WINDOW_S),
  };
  const bot = createBot({ token: config.DISCORD_TOKEN, apiUrl: config.DISCORD_API_URL, commands: loadCommands(), ctx });
  await bot.start();
  return {
    ctx,
    client: bot.client,
    async stop() {
      await bot.stop();
      await engine.close();
    },
  };
}
