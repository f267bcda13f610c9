import { createInterface } from 'node:readline/promises';
import { isLang, type Lang } from '../language/lang.js';
import { payloadToText, renderAnswer, renderReload, renderSummary } from '../discord/render.js';
import { Reloader } from '../reloader.js';
import { context, openEngine } from './common.js';

const HELP = `Commands (the same as the bot's slash commands; what the bot would post is printed):
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
  const reloader = new Reloader(engine);
  const byId = () => engine.byId;
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
      else if (cmd === '/ask') console.log(payloadToText(renderAnswer(engine.ask(text, { lang }), 'console', byId())));
      else if (cmd === '/summary') {
        const summary = engine.summary({ article: opts.article, lang: lang ?? 'fr' });
        console.log(payloadToText(renderSummary(summary, byId().get(summary.article)!, lang ?? 'fr')));
      } else if (cmd === '/reload') console.log(payloadToText(renderReload(await reloader.reload(), lang ?? 'fr')));
      else console.log(HELP);
    } catch (err) {
      console.log(`error: ${(err as Error).message}`);
    }
    rl.prompt();
  }
  rl.close();
  // The reload worker would otherwise keep the process waiting.
  await engine.close();
  return 0;
}
