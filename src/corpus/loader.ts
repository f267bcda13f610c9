import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import matter from 'gray-matter';
import yaml from 'js-yaml';
import { z } from 'zod';
import { paragraphKind, splitParagraphs } from './paragraphs.js';
import type { Article, Corpus, CorpusError, Translation } from './types.js';

/** Larger files are not news articles; reading them whole would stall a reload. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

const isoDate = z
  .string()
  .regex(/^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/, 'expected YYYY, YYYY-MM or YYYY-MM-DD')
  .refine((s) => {
    // 2016-02-30 has the right shape but no day: reject it rather than roll it into March.
    const time = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : NaN;
    return Number.isNaN(time) ? true : new Date(time).toISOString().startsWith(s);
  }, 'no such day in the calendar');

const FrontMatter = z.object({
  id: z.string().regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-" only').optional(),
  title: z.string().trim().min(1, 'must not be empty'),
  lang: z.enum(['fr', 'en'], { message: 'lang must be "fr" or "en"' }),
  source: z.string().optional(),
  url: z.string().url().optional(),
  published: isoDate.optional(),
  translation_of: z.string().optional(),
});

type Parsed =
  | { kind: 'article'; article: Article }
  | { kind: 'translation'; of: string; translation: Translation };

export class CorpusFileError extends Error {
  override name = 'CorpusFileError';
}

/**
 * Front matter is read with YAML's failsafe schema: every scalar stays the text it was, so
 * `published: 2016-02-30` is checked as written (not rolled over to March by a Date) and a
 * title such as `True` or `1e3` stays a title.
 */
const FRONT_MATTER_ENGINES = {
  yaml: (text: string) => (yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA }) ?? {}) as object,
};

/** Parse one corpus file's text; throws CorpusFileError with a reason a person can act on. */
export function parseArticleFile(file: string, text: string): Parsed {
  if (!text.trim()) throw new CorpusFileError('empty file');
  if (!/^\uFEFF?---[ \t]*\r?\n/.test(text)) throw new CorpusFileError('no front matter: the file must start with a "---" line');
  if (!/\r?\n---[ \t]*(?:\r?\n|$)/.test(text.replace(/^\uFEFF?---/, ''))) {
    throw new CorpusFileError('front matter is not closed: no second "---" line');
  }
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Options object: gray-matter caches by content otherwise, which keeps every file alive.
    parsed = matter(text.replace(/^\uFEFF/, ''), { engines: FRONT_MATTER_ENGINES });
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new CorpusFileError(`invalid YAML in front matter: ${reason}`);
  }
  if (typeof parsed.data !== 'object' || Array.isArray(parsed.data)) throw new CorpusFileError('invalid front matter: expected key: value lines');
  const fm = FrontMatter.safeParse(parsed.data);
  if (!fm.success) {
    const issues = fm.error.issues.map((i) => `${i.path.join('.') || 'front matter'}: ${i.message}`);
    throw new CorpusFileError(`invalid front matter: ${issues.join('; ')}`);
  }
  const data = fm.data;
  const paragraphs = splitParagraphs(parsed.content);
  if (paragraphs.length === 0) throw new CorpusFileError('no body paragraphs after the front matter');
  const baseName = file.replace(/^.*[\\/]/, '').replace(/\.md$/i, '');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const id = data.id ?? baseName;
  if (data.translation_of) {
    return {
      kind: 'translation',
      of: data.translation_of,
      translation: { id, file, hash, lang: data.lang, title: data.title.trim(), paragraphs },
    };
  }
  return {
    kind: 'article',
    article: {
      id,
      file,
      hash,
      title: data.title.trim(),
      lang: data.lang,
      source: data.source,
      url: data.url,
      published: data.published,
      paragraphs: paragraphs.map((text, index) => ({ index, text, kind: paragraphKind(text) })),
      translations: {},
    },
  };
}

async function listMarkdown(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listMarkdown(path)));
    else if (entry.name.toLowerCase().endsWith('.md') && entry.name.toLowerCase() !== 'readme.md') out.push(path);
  }
  return out.sort();
}

/** Read a file only if it is a regular file inside the corpus folder, of a sane size, in UTF-8. */
async function readCorpusFile(root: string, path: string): Promise<string> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) {
    const target = await realpath(path).catch(() => null);
    if (!target) throw new CorpusFileError('symbolic link to a missing file');
    if (target !== root && !target.startsWith(root + sep)) throw new CorpusFileError('symbolic link leading outside the corpus folder');
  }
  const { size } = info.isSymbolicLink() ? await stat(path) : info;
  if (size > MAX_FILE_BYTES) throw new CorpusFileError(`file too large (${size} bytes; at most ${MAX_FILE_BYTES})`);
  const bytes = await readFile(path);
  if (bytes.includes(0)) throw new CorpusFileError('binary file (contains NUL bytes)');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CorpusFileError('not valid UTF-8 text');
  }
}

/**
 * Load every article of a corpus folder. A broken file is reported with its reason and
 * skipped; it never takes the rest down.
 */
export async function loadCorpus(dir: string): Promise<Corpus> {
  const root = await realpath(resolve(dir)).catch(() => {
    throw new CorpusFileError(`corpus folder not found: ${dir}`);
  });
  if (!(await stat(root)).isDirectory()) throw new CorpusFileError(`the corpus must be a folder: ${dir}`);
  const errors: CorpusError[] = [];
  const articles = new Map<string, Article>();
  const translations: { of: string; translation: Translation }[] = [];
  const hash = createHash('sha256');
  for (const path of await listMarkdown(root)) {
    const file = relative(root, path);
    try {
      const text = await readCorpusFile(root, path);
      const parsed = parseArticleFile(file, text);
      hash.update(file).update('\0').update(text).update('\0');
      if (parsed.kind === 'translation') translations.push(parsed);
      else {
        const taken = articles.get(parsed.article.id);
        if (!taken) articles.set(parsed.article.id, parsed.article);
        else {
          // Two files claim one id: the file named after the id keeps it, whatever the order.
          const ownsId = (a: Article) => a.file.replace(/^.*[\\/]/, '').replace(/\.md$/i, '') === a.id;
          const [keep, drop] = ownsId(parsed.article) && !ownsId(taken) ? [parsed.article, taken] : [taken, parsed.article];
          articles.set(keep.id, keep);
          errors.push({ file: drop.file, reason: `duplicate id "${drop.id}" (already used by ${keep.file})` });
        }
      }
    } catch (err) {
      errors.push({ file, reason: err instanceof CorpusFileError ? err.message : `unreadable: ${(err as Error).message}` });
    }
  }
  for (const { of, translation } of translations) {
    const original = articles.get(of);
    const reject = (reason: string) => errors.push({ file: translation.file, reason });
    if (!original) reject(`translation of a missing article "${of}"`);
    else if (translation.lang === original.lang) reject(`translation in the original's own language (${original.lang})`);
    else if (original.translations[translation.lang]) reject(`second ${translation.lang} translation of "${of}" (first: ${original.translations[translation.lang]!.file})`);
    else if (translation.paragraphs.length !== original.paragraphs.length) {
      reject(`translation has ${translation.paragraphs.length} paragraphs, its original "${of}" has ${original.paragraphs.length}`);
    } else original.translations[translation.lang] = translation;
  }
  errors.sort((a, b) => a.file.localeCompare(b.file));
  return { dir: root, articles: [...articles.values()], errors, fingerprint: hash.digest('hex').slice(0, 32) };
}
