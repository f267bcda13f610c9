import { createRequire } from 'node:module';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';

export type { Logger };

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * Structured logs on stderr, so stdout stays clean for `--json` output. Secrets are redacted
 * by key wherever they would appear in a logged object.
 *
 * pino itself is loaded when the first message at the logger's level is written: loading it
 * took a command-line run 50–60 ms of its start-up, for logs most runs never write. Until
 * then, messages under the level cost nothing and `level` reads as given.
 */
export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  let real: Logger | undefined;
  const load = (): Logger => (real ??= makePino(level, destination));
  const threshold = LEVELS[level] ?? LEVELS.info!;
  const skip = () => {};
  return new Proxy({} as Logger, {
    get(_, key) {
      if (!real && typeof key === 'string') {
        if (key in LEVELS && key !== 'silent' && LEVELS[key]! < threshold) return skip;
        if (key === 'level') return level;
        if (key === 'isLevelEnabled') return (l: string) => (LEVELS[l] ?? 0) >= threshold;
      }
      const target = load();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(_, key, value) {
      return Reflect.set(load(), key, value);
    },
  });
}

function makePino(level: string, destination?: NodeJS.WritableStream): Logger {
  // Synchronous, so the first message need not wait for a module to load (pino is CommonJS).
  const pino = createRequire(import.meta.url)('pino') as typeof import('pino');
  const options: LoggerOptions = {
    level,
    base: undefined,
    redact: {
      paths: ['token', 'apiKey', 'authorization', '*.token', '*.apiKey', '*.authorization', 'headers.authorization', 'config.DISCORD_TOKEN', 'config.ANTHROPIC_API_KEY'],
      censor: '[redacted]',
    },
  };
  return pino.pino(options, (destination as DestinationStream | undefined) ?? pino.destination({ fd: 2, sync: true }));
}
