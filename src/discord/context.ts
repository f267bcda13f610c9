import type { Answering } from '../answering.js';
import type { Config } from '../config.js';
import type { Engine } from '../engine.js';
import type { Lang } from '../language/lang.js';
import type { Logger } from '../log.js';
import type { Reloader } from '../reloader.js';
import type { Feedback } from './feedback.js';
import type { AskRateLimiter } from './rate-limit.js';
import type { AnswerSessions } from './sessions.js';
import type { ShardReloads } from './shard-reload.js';

/** Everything a command handler may use, passed in rather than read from globals. */
export interface BotContext {
  engine: Engine;
  /** Extractive answers, and generated ones when a model is configured. */
  answering: Answering;
  reloader: Reloader;
  config: Config;
  log: Logger;
  sessions: AnswerSessions;
  feedback: Feedback;
  limiter: AskRateLimiter;
  /** Under a ShardingManager: `/reload` reloads every shard through it. Unset in a single process. */
  shards?: ShardReloads;
}

/** The user's language from their Discord client's locale ("fr", "en-US", "en-GB"…). */
export function langOfLocale(locale: string | null | undefined): Lang {
  return locale?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}
