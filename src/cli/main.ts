#!/usr/bin/env node
// First: it sets V8's flags before any other module's code runs.
import '../v8-tuning.js';
import { ConfigError } from '../config.js';
import { CorpusFileError } from '../corpus/loader.js';
import { UnknownArticleError } from '../engine.js';
import { UsageError } from './common.js';

type Command = (argv: string[]) => Promise<number>;
/**
 * Each command is imported when run: `ask` need not load discord.js or the Anthropic SDK,
 * which would double its start-up time.
 */
const commands: Record<string, () => Promise<Command>> = {
  ask: async () => (await import('./ask.js')).askCommand,
  summary: async () => (await import('./summary.js')).summaryCommand,
  import: async () => (await import('./import.js')).importCommand,
  eval: async () => (await import('./eval.js')).evalCommand,
  console: async () => (await import('./console.js')).consoleCommand,
  start: async () => (await import('./start.js')).startCommand,
  'deploy-commands': async () => (await import('./deploy.js')).deployCommand,
  translate: async () => (await import('./translate.js')).translateCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    console.error(`usage: main.ts ${Object.keys(commands).join('|')} [options]  (--help on each)`);
    return 2;
  }
  try {
    const command = await load();
    return await command(rest);
  } catch (err) {
    // Expected failures get their message; anything else is a bug and gets its stack.
    // A bad configuration stops the program (exit 1) with every problem listed, no stack.
    if (err instanceof ConfigError) {
      console.error(`error: ${err.message}`);
      return 1;
    }
    const expected = err instanceof UsageError || err instanceof CorpusFileError || err instanceof UnknownArticleError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(expected ? `error: ${(err as Error).message}` : err);
    return expected ? 2 : 1;
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// No top-level await: the compiled CLI is a script (scripts/build.mjs says why).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Done: exit once the output is written rather than tear down a heap that holds the index
  // (after 69 answers that took a new process 30 ms more than after one, for nothing). If
  // the write never completes (a closed pipe), the process still ends with the code above.
  process.stdout.write('', () => process.exit());
});
