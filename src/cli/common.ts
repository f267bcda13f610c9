import 'dotenv/config';
import { readConfig, type Config } from '../config.js';
import { Answering } from '../answering.js';
import { Engine, type LoadStats } from '../engine.js';
import { generationSettings } from '../generate/client.js';
import { isLang, type Lang } from '../language/lang.js';
import { createLogger, type Logger } from '../log.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function langOption(value: string | undefined): Lang | undefined {
  if (value === undefined) return undefined;
  if (!isLang(value)) throw new UsageError(`--lang must be "fr" or "en", not "${value}"`);
  return value;
}

export interface Context {
  config: Config;
  log: Logger;
}

export function context(): Context {
  const config = readConfig();
  return { config, log: createLogger(config.LOG_LEVEL) };
}

/** Open the engine on a corpus folder; broken files are reported on stderr, never stdout. */
export async function openEngine(ctx: Context, corpusDir: string | undefined, cache = true): Promise<{ engine: Engine; stats: LoadStats }> {
  const dir = corpusDir ?? ctx.config.CORPUS_DIR;
  const opened = await Engine.open({ corpusDir: dir, cacheDir: cache ? ctx.config.CACHE_DIR : null });
  for (const e of opened.stats.errors) ctx.log.warn({ file: e.file, reason: e.reason }, `corpus file skipped: ${e.file}: ${e.reason}`);
  ctx.log.debug({ ...opened.stats, errors: opened.stats.errors.length }, 'corpus loaded');
  return opened;
}

/** The engine plus generation when configured (`generate: false` keeps it extractive). */
export async function openAnswering(ctx: Context, corpusDir: string | undefined, options: { cache?: boolean; generate?: boolean } = {}): Promise<Answering> {
  const { engine } = await openEngine(ctx, corpusDir, options.cache ?? true);
  const generation = options.generate === false ? null : await generationSettings(ctx.config);
  return new Answering(engine, {
    generation,
    log: ctx.log,
    userDailyLimit: ctx.config.GENERATION_USER_DAILY_LIMIT,
    dailyLimit: ctx.config.GENERATION_DAILY_LIMIT,
    cacheSize: ctx.config.GENERATION_CACHE_SIZE,
  });
}
