// As a namespace, not zod's `z` object: the bundle then keeps only what is used (a quarter of zod).
import * as z from 'zod';

/** A comma-separated list of Discord ids ("123, 456"). */
const idList = z
  .string()
  .optional()
  .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean))
  .refine((ids) => ids.every((id) => /^\d{5,25}$/.test(id)), 'must be Discord ids (digits) separated by commas');

/** Every environment variable the project reads, validated in one place (CONTRACT.md §4). */
const Env = z.object({
  CORPUS_DIR: z.string().min(1).default('corpus'),
  CACHE_DIR: z.string().min(1).default('.cache'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_CLIENT_ID: z.string().regex(/^\d{5,25}$/, 'must be the application id (digits)').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d{5,25}$/, 'must be a server id (digits)').optional(),
  DISCORD_API_URL: z.string().url().optional(),
  /**
   * Run the bot under discord.js's ShardingManager: a number of shards, or "auto" for the count
   * Discord recommends (required from 2,500 servers). Unset: one process, no manager.
   */
  DISCORD_SHARDS: z
    .string()
    .trim()
    .regex(/^(auto|[1-9]\d{0,4})$/, 'must be a positive number of shards or "auto"')
    .transform((v): number | 'auto' => (v === 'auto' ? 'auto' : Number(v)))
    .optional(),
  OPERATOR_USER_IDS: idList,
  OPERATOR_ROLE_IDS: idList,
  ASK_RATE_LIMIT_COUNT: z.coerce.number().int().positive().max(1000).default(30),
  ASK_RATE_LIMIT_WINDOW_S: z.coerce.number().int().positive().max(86_400).default(60),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-haiku-5-5'),
  ANTHROPIC_TIMEOUT_MS: z.coerce.number().int().positive().max(600_000).default(8_000),
  ANTHROPIC_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  /** A switch to keep everything extractive even with a key. */
  GENERATION_ENABLED: z
    .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
    .default('true')
    .transform((v) => ['true', '1', 'on', 'yes'].includes(v)),
  GENERATION_USER_DAILY_LIMIT: z.coerce.number().int().min(0).max(100_000).default(20),
  GENERATION_DAILY_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(500),
  GENERATION_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(1000),
});

export type Config = z.infer<typeof Env>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Read the configuration from an environment (process.env by default). Empty strings count as
 * unset, as in most .env files. Every problem is listed at once; values are never echoed,
 * since some are secrets.
 */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  return parseConfig(env);
}

/** The bot's own requirements on top of the shared ones: a token to log in with. */
export function readBotConfig(env: Record<string, string | undefined> = process.env): Config & { DISCORD_TOKEN: string } {
  const config = parseConfig(env);
  if (!config.DISCORD_TOKEN) throw new ConfigError(['DISCORD_TOKEN: required to start the bot (without it, `npm start` opens the local console)']);
  return config as Config & { DISCORD_TOKEN: string };
}

function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}
