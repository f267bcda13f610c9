import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { articleFile, cleanPage, slugify } from '../corpus/clean.js';
import { parseArticleFile } from '../corpus/loader.js';
import { context, langOption, UsageError } from './common.js';

export const IMPORT_USAGE = `usage: corpus:import PAGE.txt [--title T] [--source S] [--url U] [--published YYYY-MM-DD] [--lang fr|en] [--id ID] [--out DIR | --stdout] [--force]`;

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      title: { type: 'string' },
      source: { type: 'string' },
      url: { type: 'string' },
      published: { type: 'string' },
      lang: { type: 'string' },
      id: { type: 'string' },
      out: { type: 'string' },
      stdout: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(IMPORT_USAGE);
    return 0;
  }
  const page = positionals[0];
  if (!page) throw new UsageError(`a page file is required\n${IMPORT_USAGE}`);
  const ctx = context();
  const clean = cleanPage(await readFile(page, 'utf8'), { title: values.title });
  const id = values.id ?? slugify(clean.title);
  const text = articleFile(
    {
      id,
      title: clean.title,
      lang: langOption(values.lang) ?? clean.lang,
      source: values.source,
      url: values.url,
      published: values.published ?? clean.published,
      tags: clean.tags,
    },
    clean.paragraphs,
  );
  // What we write must load: check it with the corpus parser before it lands in the corpus.
  parseArticleFile(`${id}.md`, text);
  if (values.stdout) {
    process.stdout.write(text);
    return 0;
  }
  const dir = values.out ?? ctx.config.CORPUS_DIR;
  const file = join(dir, `${id}.md`);
  if (existsSync(file) && !values.force) throw new UsageError(`${file} exists: pass --force to replace it`);
  await mkdir(dir, { recursive: true });
  await writeFile(file, text);
  ctx.log.info({ file, paragraphs: clean.paragraphs.length, dropped: clean.dropped }, `wrote ${file}`);
  if (!values.published && !clean.published) ctx.log.warn('no publication date found on the page: pass --published so relative dates can be resolved');
  return 0;
}
