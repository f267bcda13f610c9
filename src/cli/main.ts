#!/usr/bin/env node
import { ConfigError } from '../config.js';
import { CorpusFileError } from '../corpus/loader.js';
import { UnknownArticleError } from '../engine.js';
import { askCommand } from './ask.js';
import { UsageError } from './common.js';
import { consoleCommand } from './console.js';
import { deployCommand } from './deploy.js';
import { startCommand } from './start.js';
import { translateCommand } from './translate.js';
import { evalCommand } from './eval.js';
import { importCommand } from './import.js';
import { summaryCommand } from './summary.js';

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  ask: askCommand,
  summary: summaryCommand,
  import: importCommand,
  eval: evalCommand,
  console: consoleCommand,
  start: startCommand,
  'deploy-commands': deployCommand,
  translate: translateCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(`usage: main.ts ${Object.keys(commands).join('|')} [options]  (--help on each)`);
    return 2;
  }
  try {
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

process.exitCode = await main(process.argv.slice(2));
