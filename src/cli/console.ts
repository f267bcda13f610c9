import { createInterface } from 'node:readline/promises';
import { isLang, type Lang } from '../language/lang.js';
import { formatAnswer } from './ask.js';
import { context, openEngine } from './common.js';
import { formatSummary } from './summary.js';

const HELP = `Commands (the same as the bot's slash commands):
  /ask <question> [lang:fr|en]     answer from the corpus (a line without "/" is a question too)
  /summary [article:ID] [lang:fr|en]
  /reload                          reload the corpus folder
  /help, /quit`;

/** Pull "name:value" options off the end of a console line. */
function options(rest: string): { text: string; opts: Record<string, string> } {
  const opts: Record<string, string> = {};
  const text = ` ${rest}`.replace(/\s+(lang|article):(\S+)/g, (_, k: string, v: string) => {
    opts[k] = v;
    return '';
  });
  return { text: text.trim(), opts };
}

/** A local console that runs the bot's commands on the corpus, with no Discord token. */
export async function consoleCommand(argv: string[]): Promise<number> {
  const ctx = context();
  const { engine, stats } = await openEngine(ctx, argv[0]);
  console.log(`${stats.articles} article(s), ${stats.passages} passages, ${stats.translations} translation(s) loaded. /help for commands.`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    const trimmed = line.trim();
    const [cmd, ...restParts] = trimmed.startsWith('/') ? trimmed.split(/\s+/) : ['/ask', trimmed];
    const { text, opts } = options(restParts.join(' '));
    const lang: Lang | undefined = isLang(opts.lang) ? opts.lang : undefined;
    try {
      if (!trimmed) {
        // nothing to do
      } else if (cmd === '/quit' || cmd === '/exit') break;
      else if (cmd === '/help') console.log(HELP);
      else if (cmd === '/ask') console.log(formatAnswer(engine.ask(text, { lang })));
      else if (cmd === '/summary') console.log(formatSummary(engine.summary({ article: opts.article, lang: lang ?? 'fr' })));
      else if (cmd === '/reload') {
        const { stats: s, swapped } = await engine.reload();
        console.log(`${swapped ? 'reloaded' : 'reload failed, still serving the previous corpus'}: ${s.articles} article(s), ${s.passages} passages, ${s.translations} translation(s) in ${Math.round(s.ms)} ms`);
        for (const e of s.errors) console.log(`  skipped ${e.file}: ${e.reason}`);
      } else console.log(HELP);
    } catch (err) {
      console.log(`error: ${(err as Error).message}`);
    }
    rl.prompt();
  }
  rl.close();
  return 0;
}
