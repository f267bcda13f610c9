import type { Logger } from './log.js';

/**
 * Stray promise rejections and exceptions are logged, never silent; the bot keeps serving
 * (a Discord API error in one interaction must not take every other one down).
 * Returns a function that removes the handlers.
 */
export function installProcessGuards(log: Logger): () => void {
  const onRejection = (reason: unknown) => log.error({ err: reason }, 'unhandled promise rejection');
  const onException = (err: Error) => log.error({ err }, 'uncaught exception');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
