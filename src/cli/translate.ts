import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';
import { parseArticleFile } from '../corpus/loader.js';
import { generationSettings } from '../generate/client.js';
import { GenerationError } from '../generate/errors.js';
import { translateArticle, translationFile } from '../generate/translate.js';
import { otherLang } from '../language/lang.js';
import { context, langOption, openEngine } from './common.js';

export const TRANSLATE_USAGE = 'usage: corpus:translate [--article ID] [--to en|fr] [--corpus DIR] [--force]';

/**
 * Write the aligned translation of articles that lack one. A translation already in the
 * corpus (hand-made ones included) is kept unless --force.
 */
export async function translateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { article: { type: 'string' }, to: { type: 'string' }, corpus: { type: 'string' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(TRANSLATE_USAGE);
    return 0;
  }
  const ctx = context();
  const settings = await generationSettings(ctx.config);
  if (!settings) throw new ConfigError(['ANTHROPIC_API_KEY: required to translate (and GENERATION_ENABLED must not be off)']);
  const { engine } = await openEngine(ctx, values.corpus, false);
  const to = langOption(values.to);
  const articles = engine.articles.filter((a) => !values.article || a.id === values.article);
  if (values.article && articles.length === 0) throw new ConfigError([`--article: no article has the id "${values.article}"`]);
  let failed = 0;
  for (const article of articles) {
    const target = to ?? otherLang(article.lang);
    if (target === article.lang) continue;
    const existing = article.translations[target];
    if (existing && !values.force) {
      ctx.log.info({ article: article.id, file: existing.file }, `kept ${existing.file} (a translation exists; --force replaces it)`);
      continue;
    }
    const file = existing ? join(engine.corpus.dir, existing.file) : join(engine.corpus.dir, dirname(article.file), `${article.id}.${target}.md`);
    if (!existing && existsSync(file) && !values.force) {
      ctx.log.warn({ file }, `${file} exists but did not load as a translation: fix it or pass --force`);
      failed++;
      continue;
    }
    try {
      const translated = await translateArticle(settings, article, target);
      const text = translationFile(article, target, translated, settings.model);
      parseArticleFile(file, text);
      await writeFile(file, text);
      ctx.log.info({ article: article.id, file, paragraphs: translated.paragraphs.length }, `wrote ${file}`);
    } catch (err) {
      failed++;
      const reason = err instanceof GenerationError ? `${err.kind}: ${err.message}` : (err as Error).message;
      ctx.log.error({ article: article.id, reason }, `could not translate ${article.id}: ${reason}`);
    }
  }
  return failed ? 1 : 0;
}
