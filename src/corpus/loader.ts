import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { createRequire } from 'node:module';
import type matterType from 'gray-matter';
import type yamlType from 'js-yaml';
// As a namespace, not zod's `z` object: the bundle then keeps only what is used (a quarter of zod).
import * as z from 'zod';
import { paragraphKind, splitParagraphs } from './paragraphs.js';
import type { Lang } from '../language/lang.js';
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

export type Parsed =
  | { kind: 'article'; article: Article }
  | { kind: 'translation'; of: string; translation: Translation };

export class CorpusFileError extends Error {
  override name = 'CorpusFileError';
}

/**
 * The front matter parsers, loaded when a file is first parsed: a start from the cache parses
 * no file, and loading them was a twentieth of it.
 */
let loaded: { matter: typeof matterType; yaml: typeof yamlType } | undefined;
function parsers(): { matter: typeof matterType; yaml: typeof yamlType } {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = { matter: require('gray-matter') as typeof matterType, yaml: require('js-yaml') as typeof yamlType };
  }
  return loaded;
}

/**
 * Front matter is read with YAML's failsafe schema: every scalar stays the text it was, so
 * `published: 2016-02-30` is checked as written (not rolled over to March by a Date) and a
 * title such as `True` or `1e3` stays a title.
 */
const FRONT_MATTER_ENGINES = {
  yaml: (text: string) => (parsers().yaml.load(text, { schema: parsers().yaml.FAILSAFE_SCHEMA }) ?? {}) as object,
};

/** The id a file has when its front matter gives none: its name without `.md`. */
export function defaultId(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/\.md$/i, '');
}

/** Parse one corpus file's text; throws CorpusFileError with a reason a person can act on. */
export function parseArticleFile(file: string, text: string): Parsed {
  if (!text.trim()) throw new CorpusFileError('empty file');
  if (!/^\uFEFF?---[ \t]*\r?\n/.test(text)) throw new CorpusFileError('no front matter: the file must start with a "---" line');
  if (!/\r?\n---[ \t]*(?:\r?\n|$)/.test(text.replace(/^\uFEFF?---/, ''))) {
    throw new CorpusFileError('front matter is not closed: no second "---" line');
  }
  let parsed: matterType.GrayMatterFile<string>;
  try {
    // Options object: gray-matter caches by content otherwise, which keeps every file alive.
    parsed = parsers().matter(text.replace(/^\uFEFF/, ''), { engines: FRONT_MATTER_ENGINES });
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
  const baseName = defaultId(file);
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

/**
 * Corpus files are read with synchronous calls: a promise round trip per file costs more
 * than the read itself (10,000 files: 0.3 s instead of 1.6 s). Rebuilds run in a worker
 * thread, so this never holds up the bot's event loop.
 */
export function listMarkdown(dir: string): string[] {
  const out: string[] = [];
  // The folder's path normalized once, ending with a separator: join() per file (10,000 of
  // them) took a warm start 25–30 ms, and gives the same paths (an entry's name has no
  // separator and is never "." or "..").
  const prefix = join(dir, sep);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = prefix + entry.name;
    if (entry.isDirectory()) {
      for (const p of listMarkdown(path)) out.push(p);
      continue;
    }
    const name = entry.name.toLowerCase();
    if (name.endsWith('.md') && name !== 'readme.md') out.push(path);
  }
  return out.sort();
}

/** Read a file only if it is a regular file inside the corpus folder, of a sane size, in UTF-8. */
export function readCorpusFile(root: string, path: string): string {
  const info = lstatSync(path);
  if (info.isSymbolicLink()) {
    let target: string | null = null;
    try {
      target = realpathSync(path);
    } catch {
      target = null;
    }
    if (!target) throw new CorpusFileError('symbolic link to a missing file');
    if (target !== root && !target.startsWith(root + sep)) throw new CorpusFileError('symbolic link leading outside the corpus folder');
  }
  const { size } = info.isSymbolicLink() ? statSync(path) : info;
  if (size > MAX_FILE_BYTES) throw new CorpusFileError(`file too large (${size} bytes; at most ${MAX_FILE_BYTES})`);
  const bytes = readFileSync(path);
  if (bytes.includes(0)) throw new CorpusFileError('binary file (contains NUL bytes)');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CorpusFileError('not valid UTF-8 text');
  }
}

/**
 * What one corpus file holds, without its text: enough to decide which articles and
 * translations the corpus has, and to skip reading an unchanged file on the next start.
 */
export interface FileRecord {
  file: string;
  size: number;
  mtimeMs: number;
  /** Hash of the file's text ('' when it could not be read). */
  hash: string;
  kind: 'article' | 'translation' | 'error';
  id?: string;
  lang?: Lang;
  /** For a translation: the article it translates. */
  of?: string;
  paragraphs?: number;
  reason?: string;
}

/** Read and parse one file into its record (and its content when valid). */
export function readRecord(root: string, path: string): { record: FileRecord; parsed?: Parsed } {
  const file = relative(root, path);
  let size = 0;
  let mtimeMs = 0;
  try {
    const info = statSync(path);
    size = info.size;
    mtimeMs = info.mtimeMs;
  } catch {
    // a dangling link: readCorpusFile says so below
  }
  try {
    const text = readCorpusFile(root, path);
    const parsed = parseArticleFile(file, text);
    const common = { file, size, mtimeMs, hash: parsed.kind === 'article' ? parsed.article.hash : parsed.translation.hash };
    const record: FileRecord =
      parsed.kind === 'article'
        ? { ...common, kind: 'article', id: parsed.article.id, lang: parsed.article.lang, paragraphs: parsed.article.paragraphs.length }
        : { ...common, kind: 'translation', id: parsed.translation.id, lang: parsed.translation.lang, of: parsed.of, paragraphs: parsed.translation.paragraphs.length };
    return { record, parsed };
  } catch (err) {
    const reason = err instanceof CorpusFileError ? err.message : `unreadable: ${(err as Error).message}`;
    return { record: { file, size, mtimeMs, hash: '', kind: 'error', reason } };
  }
}

export interface Resolved {
  /** The file each article id is read from. */
  articles: Map<string, FileRecord>;
  /** Accepted translations, by the id of the article they translate. */
  translations: Map<string, FileRecord[]>;
  errors: CorpusError[];
  fingerprint: string;
}

/**
 * Decide, from the files' records alone, which articles and translations the corpus has and
 * why the others are refused: duplicate ids, translations of nothing, mismatched paragraphs.
 */
export function resolveRecords(records: FileRecord[]): Resolved {
  const errors: CorpusError[] = [];
  const articles = new Map<string, FileRecord>();
  const hash = createHash('sha256');
  const sorted = [...records].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const ownsId = (r: FileRecord) => defaultId(r.file) === r.id;
  for (const r of sorted) {
    if (r.kind === 'error') {
      errors.push({ file: r.file, reason: r.reason ?? 'unreadable' });
      continue;
    }
    hash.update(r.file).update('\0').update(r.hash).update('\0');
    if (r.kind !== 'article') continue;
    const taken = articles.get(r.id!);
    if (!taken) articles.set(r.id!, r);
    else {
      // Two files claim one id: the file named after the id keeps it, whatever the order.
      const [keep, drop] = ownsId(r) && !ownsId(taken) ? [r, taken] : [taken, r];
      articles.set(keep.id!, keep);
      errors.push({ file: drop.file, reason: `duplicate id "${drop.id}" (already used by ${keep.file})` });
    }
  }
  const translations = new Map<string, FileRecord[]>();
  for (const t of sorted) {
    if (t.kind !== 'translation') continue;
    const original = articles.get(t.of!);
    const reject = (reason: string) => errors.push({ file: t.file, reason });
    const first = translations.get(t.of!)?.find((x) => x.lang === t.lang);
    if (!original) reject(`translation of a missing article "${t.of}"`);
    else if (t.lang === original.lang) reject(`translation in the original's own language (${original.lang})`);
    else if (first) reject(`second ${t.lang} translation of "${t.of}" (first: ${first.file})`);
    else if (t.paragraphs !== original.paragraphs) reject(`translation has ${t.paragraphs} paragraphs, its original "${t.of}" has ${original.paragraphs}`);
    else translations.set(t.of!, [...(translations.get(t.of!) ?? []), t]);
  }
  errors.sort((a, b) => a.file.localeCompare(b.file));
  return { articles, translations, errors, fingerprint: hash.digest('hex').slice(0, 32) };
}

/** The corpus folder, resolved, or a CorpusFileError saying why it cannot be used. */
export async function corpusRoot(dir: string): Promise<string> {
  const root = await realpath(resolve(dir)).catch(() => {
    throw new CorpusFileError(`corpus folder not found: ${dir}`);
  });
  if (!(await stat(root)).isDirectory()) throw new CorpusFileError(`the corpus must be a folder: ${dir}`);
  return root;
}

/** An article with its accepted translations attached, from parsed files. */
export function assembleArticle(id: string, resolved: Resolved, parsedOf: (file: string) => Parsed | undefined): Article | undefined {
  const record = resolved.articles.get(id);
  const parsed = record && parsedOf(record.file);
  if (!parsed || parsed.kind !== 'article') return undefined;
  const article: Article = { ...parsed.article, translations: {} };
  for (const t of resolved.translations.get(id) ?? []) {
    const tp = parsedOf(t.file);
    if (tp?.kind === 'translation') article.translations[tp.translation.lang] = tp.translation;
  }
  return article;
}

/**
 * Load every article of a corpus folder. A broken file is reported with its reason and
 * skipped; it never takes the rest down.
 */
export async function loadCorpus(dir: string): Promise<Corpus> {
  const root = await corpusRoot(dir);
  const parsed = new Map<string, Parsed>();
  const records = listMarkdown(root).map((path) => {
    const r = readRecord(root, path);
    if (r.parsed) parsed.set(r.record.file, r.parsed);
    return r.record;
  });
  const resolved = resolveRecords(records);
  const articles = [...resolved.articles.values()]
    .sort((a, b) => (a.file < b.file ? -1 : 1))
    .map((r) => assembleArticle(r.id!, resolved, (f) => parsed.get(f))!);
  return { dir: root, articles, errors: resolved.errors, fingerprint: resolved.fingerprint };
}
