import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs on stderr, so stdout stays clean for `--json` output. Secrets are redacted
 * by key wherever they would appear in a logged object.
 */
export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['token', 'apiKey', 'authorization', '*.token', '*.apiKey', '*.authorization', 'headers.authorization', 'config.DISCORD_TOKEN', 'config.ANTHROPIC_API_KEY'],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
