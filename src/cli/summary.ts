import { parseArgs } from 'node:util';
import type { Summary } from '../summary/extractive.js';
import { context, langOption, openAnswering } from './common.js';

export const SUMMARY_USAGE = 'usage: summary [--json] [--lang fr|en] [--article ID] [--corpus DIR] [--no-generate]';

export function formatSummary(s: Summary): string {
  const head = `${s.title}${s.date ? ` — ${s.date}` : ''}${s.source ? ` — ${s.source}` : ''}`;
  const used = s.sources.map((x) => `§${x.paragraph + 1}`).join(', ');
  return [head, '', s.summary, '', `(${used}${s.url ? ` — ${s.url}` : ''})`, ...(s.note ? [s.note] : [])].join('\n');
}

export async function summaryCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      lang: { type: 'string' },
      article: { type: 'string' },
      corpus: { type: 'string' },
      'no-generate': { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(SUMMARY_USAGE);
    return 0;
  }
  const lang = langOption(values.lang) ?? 'fr';
  const ctx = context();
  const generate = !values['no-generate'];
  const answering = await openAnswering(ctx, values.corpus, { cache: !values['no-cache'], generate });
  const summary = await answering.summary({ article: values.article, lang, generate });
  process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
  return 0;
}
