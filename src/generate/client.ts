import type Anthropic from '@anthropic-ai/sdk';
import type { Config } from '../config.js';

export interface GenerationSettings {
  client: Anthropic;
  model: string;
  /** The most a generated answer may take, retries included, before the extractive one is used. */
  timeoutMs: number;
}

/**
 * The Anthropic client, built once from configuration, or null when generation is off (no
 * key, or switched off): everything then stays extractive. Explicit timeout and retries: the
 * SDK's defaults (10 minutes, 2 retries) are far too long for a chat bot.
 */
export async function generationSettings(config: Config): Promise<GenerationSettings | null> {
  if (!config.ANTHROPIC_API_KEY || !config.GENERATION_ENABLED) return null;
  // Loaded only when generation is on: the SDK alone would add a third to an extractive start.
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({
    apiKey: config.ANTHROPIC_API_KEY,
    ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
    timeout: config.ANTHROPIC_TIMEOUT_MS,
    maxRetries: config.ANTHROPIC_MAX_RETRIES,
  });
  return { client, model: config.ANTHROPIC_MODEL, timeoutMs: config.ANTHROPIC_TIMEOUT_MS };
}
