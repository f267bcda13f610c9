import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusFileError, listMarkdown, loadCorpus, MAX_FILE_BYTES, parseArticleFile } from '../../src/corpus/loader.js';
import type { Article, Corpus } from '../../src/corpus/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHIPPED = join(ROOT, 'corpus');

/** A corpus file's text from its front-matter lines and paragraphs. */
function md(frontMatter: string[], paragraphs: string[]): string {
  return `---\n${frontMatter.join('\n')}\n---\n${paragraphs.join('\n\n')}\n`;
}

function article(corpus: Corpus, id: string): Article {
  const found = corpus.articles.find((a) => a.id === id);
  if (!found) throw new Error(`article "${id}" not loaded; loaded: ${corpus.articles.map((a) => a.id).join(', ')}`);
  return found;
}

function reasonFor(corpus: Corpus, file: string): string {
  const found = corpus.errors.filter((e) => e.file === file);
  expect(found, `errors for ${file}: ${JSON.stringify(corpus.errors)}`).toHaveLength(1);
  return found[0]!.reason;
}

/** Parse a single file, returning the reason it was rejected, or the article. */
function parseOutcome(text: string): { reason: string } | { article: Article } {
  try {
    const parsed = parseArticleFile('probe.md', text);
    if (parsed.kind !== 'article') throw new Error('expected an article');
    return { article: parsed.article };
  } catch (err) {
    if (err instanceof CorpusFileError) return { reason: err.message };
    throw err;
  }
}

describe('the shipped corpus', () => {
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = await loadCorpus(SHIPPED);
  });

  it('loads one article, voip-maroc-2016, without errors', () => {
    expect(corpus.errors).toEqual([]);
    expect(corpus.articles.map((a) => a.id)).toEqual(['voip-maroc-2016']);
    const a = article(corpus, 'voip-maroc-2016');
    expect(a.title).toBe('La VoIP (enfin) rétablie au Maroc');
    expect(a.lang).toBe('fr');
    expect(a.source).toBe('HuffPost Maroc');
    expect(a.published).toBe('2016-11-03');
    expect(a.file).toBe('voip-maroc-2016.md');
  });

  it('splits the article into 7 numbered paragraphs, the last one a related-article teaser', () => {
    const { paragraphs } = article(corpus, 'voip-maroc-2016');
    expect(paragraphs).toHaveLength(7);
    expect(paragraphs.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(paragraphs.map((p) => p.kind)).toEqual(['body', 'body', 'body', 'body', 'body', 'body', 'related']);
    expect(paragraphs[0]!.text).toMatch(/^TÉLÉPHONIE - C'est une nouvelle/);
    expect(paragraphs[1]!.text).toContain('Jeudi 3 novembre');
    expect(paragraphs[6]!.text).toMatch(/^LIRE AUSSI: Le Maroc aurait perdu 320 millions/);
    // Lines are joined and no paragraph keeps a line break or stray spacing.
    for (const p of paragraphs) expect(p.text).not.toMatch(/\n|\s{2}|^\s|\s$/);
  });

  it('attaches the English translation, aligned paragraph for paragraph', () => {
    const a = article(corpus, 'voip-maroc-2016');
    const en = a.translations.en;
    expect(en).toBeDefined();
    expect(en!.lang).toBe('en');
    expect(en!.title).toBe('VoIP (finally) restored in Morocco');
    expect(en!.file).toBe('voip-maroc-2016.en.md');
    expect(en!.paragraphs).toHaveLength(a.paragraphs.length);
    expect(en!.paragraphs[1]).toContain('On Thursday, November 3');
    expect(en!.paragraphs[6]).toMatch(/^READ ALSO:/);
    expect(a.translations.fr).toBeUndefined();
  });

  it('gives the same fingerprint on every load and for an identical copy of the folder', async () => {
    const again = await loadCorpus(SHIPPED);
    expect(corpus.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(again.fingerprint).toBe(corpus.fingerprint);
    const copy = await mkdtemp(join(tmpdir(), 'corpus-copy-'));
    try {
      for (const name of await readdir(SHIPPED)) await copyFile(join(SHIPPED, name), join(copy, name));
      expect((await loadCorpus(copy)).fingerprint).toBe(corpus.fingerprint);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('changes the fingerprint when a file changes or a file is added', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'corpus-copy-'));
    try {
      for (const name of await readdir(SHIPPED)) await copyFile(join(SHIPPED, name), join(copy, name));
      const before = (await loadCorpus(copy)).fingerprint;
      expect(before).toBe(corpus.fingerprint);

      // WHEN one word of the translation changes
      const enFile = join(copy, 'voip-maroc-2016.en.md');
      await writeFile(enFile, (await readFile(enFile, 'utf8')).replace('finally', 'at last'));
      const edited = (await loadCorpus(copy)).fingerprint;
      expect(edited).not.toBe(before);

      // WHEN an article is added
      await writeFile(join(copy, 'extra.md'), md(['title: Extra', 'lang: fr'], ['Un paragraphe.']));
      const added = await loadCorpus(copy);
      expect(added.articles).toHaveLength(2);
      expect(added.fingerprint).not.toBe(edited);
      expect(added.fingerprint).not.toBe(before);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});

describe('a corpus folder holding broken files', () => {
  let base: string;
  let dir: string;
  let corpus: Corpus;

  const VALID = md(
    ['id: valid', 'title: Un article valide', 'lang: fr', 'source: Test', 'published: 2020-05-17'],
    ['Premier paragraphe de l\'article valide.', 'Second paragraphe de l\'article valide.'],
  );

  /** Each broken file and a pattern its reason must match. */
  const BROKEN: Record<string, RegExp> = {
    'empty.md': /empty file/,
    'no-front-matter.md': /no front matter/,
    'unclosed.md': /front matter is not closed/,
    'bad-yaml.md': /invalid YAML/,
    'no-title.md': /invalid front matter: .*title/,
    'german.md': /lang.*"fr" or "en"/,
    'bad-date.md': /published: expected YYYY, YYYY-MM or YYYY-MM-DD/,
    'valid.short.en.md': /translation has 1 paragraphs?, its original "valid" has 2/,
    'ghost.en.md': /translation of a missing article "ghost"/,
    'twin-b.md': /duplicate id "twin" \(already used by twin-a\.md\)/,
    'binary.md': /binary file \(contains NUL bytes\)/,
    'latin1.md': /not valid UTF-8/,
    'huge.md': new RegExp(`file too large \\(${MAX_FILE_BYTES + 1} bytes; at most ${MAX_FILE_BYTES}\\)`),
    'outside-link.md': /symbolic link leading outside the corpus folder/,
  };

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'corpus-broken-'));
    dir = join(base, 'corpus');
    await mkdir(join(dir, 'sub'), { recursive: true });
    const put = (name: string, content: string | Buffer) => writeFile(join(dir, name), content);

    await put('valid.md', VALID);
    await put('empty.md', '');
    await put('no-front-matter.md', 'Titre sans front matter\n\nUn paragraphe.\n');
    await put('unclosed.md', '---\ntitle: Jamais fermé\nlang: fr\n\nUn paragraphe.\n');
    await put('bad-yaml.md', md(['title: [pas fermé', 'lang: fr'], ['Un paragraphe.']));
    await put('no-title.md', md(['lang: fr'], ['Un paragraphe.']));
    await put('german.md', md(['title: Ein Artikel', 'lang: de'], ['Ein Absatz.']));
    await put('bad-date.md', md(['title: Date à la française', 'lang: fr', 'published: 03/11/2016'], ['Un paragraphe.']));
    await put('valid.short.en.md', md(['translation_of: valid', 'title: A valid article', 'lang: en'], ['Only one paragraph.']));
    await put('ghost.en.md', md(['translation_of: ghost', 'title: Ghost', 'lang: en'], ['A paragraph.']));
    await put('twin-a.md', md(['id: twin', 'title: Premier jumeau', 'lang: fr'], ['Un paragraphe.']));
    await put('twin-b.md', md(['id: twin', 'title: Second jumeau', 'lang: fr'], ['Un paragraphe.']));
    await put('binary.md', Buffer.concat([Buffer.from(md(['title: Binaire', 'lang: fr'], ['Un paragraphe.'])), Buffer.from([0, 1, 2])]));
    // "é" in latin-1 is the single byte 0xE9, which is not valid UTF-8.
    await put('latin1.md', Buffer.concat([Buffer.from('---\ntitle: R'), Buffer.from([0xe9]), Buffer.from('sum\nlang: fr\n---\nUn paragraphe.\n')]));
    await put('huge.md', md(['title: Trop grand', 'lang: fr'], ['Un paragraphe.']));
    await truncate(join(dir, 'huge.md'), MAX_FILE_BYTES + 1);
    await writeFile(join(base, 'outside.md'), md(['title: Dehors', 'lang: fr'], ['Hors du corpus.']));
    await symlink(join(base, 'outside.md'), join(dir, 'outside-link.md'));
    await put('notes.txt', 'not an article, no front matter');
    await put('README.md', '# About this corpus\n\nNo front matter here.\n');

    // Files that must load.
    await put('crlf.md', '---\r\ntitle: Fins de ligne Windows\r\nlang: fr\r\npublished: 2019-01\r\n---\r\nPremière ligne\r\nsuite de la ligne.\r\n\r\nSecond paragraphe.\r\n');
    await put('bom.md', `\uFEFF${md(['title: Avec BOM', 'lang: en'], ['A paragraph after a byte order mark.'])}`);
    await writeFile(join(dir, 'sub', 'nested.md'), md(['title: Dans un sous-dossier', 'lang: fr'], ['Un paragraphe rangé.']));

    corpus = await loadCorpus(dir);
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('reports exactly the broken files, each once, by name', () => {
    expect(corpus.errors.map((e) => e.file).sort()).toEqual(Object.keys(BROKEN).sort());
  });

  it.each(Object.entries(BROKEN))('reports %s with a reason that says what is wrong', (file, pattern) => {
    expect(reasonFor(corpus, file)).toMatch(pattern);
  });

  it('still loads the valid article with its fields and paragraphs', () => {
    const a = article(corpus, 'valid');
    expect(a).toMatchObject({ title: 'Un article valide', lang: 'fr', source: 'Test', published: '2020-05-17', file: 'valid.md' });
    expect(a.paragraphs.map((p) => p.text)).toEqual(["Premier paragraphe de l'article valide.", "Second paragraphe de l'article valide."]);
    // The one-paragraph translation was refused, not attached.
    expect(a.translations).toEqual({});
  });

  it('keeps the first of two articles sharing an id', () => {
    const twins = corpus.articles.filter((a) => a.id === 'twin');
    expect(twins).toHaveLength(1);
    expect(twins[0]!.title).toBe('Premier jumeau');
  });

  it('ignores files that are not Markdown and README.md', () => {
    const names = [...corpus.errors.map((e) => e.file), ...corpus.articles.map((a) => a.file)];
    expect(names).not.toContain('notes.txt');
    expect(names).not.toContain('README.md');
    expect(corpus.articles.map((a) => a.id)).not.toContain('README');
  });

  it('parses a file with Windows line endings', () => {
    const a = article(corpus, 'crlf');
    expect(a.title).toBe('Fins de ligne Windows');
    expect(a.published).toBe('2019-01');
    expect(a.paragraphs.map((p) => p.text)).toEqual(['Première ligne suite de la ligne.', 'Second paragraphe.']);
  });

  it('parses a file that starts with a byte order mark', () => {
    const a = article(corpus, 'bom');
    expect(a.title).toBe('Avec BOM');
    expect(a.lang).toBe('en');
    expect(a.paragraphs.map((p) => p.text)).toEqual(['A paragraph after a byte order mark.']);
  });

  it('loads an article from a subfolder, keyed by its file name, with its relative path', () => {
    const a = article(corpus, 'nested');
    expect(a.title).toBe('Dans un sous-dossier');
    expect(a.file).toBe(join('sub', 'nested.md'));
  });

  it('loads nothing else than the good files', () => {
    expect(corpus.articles.map((a) => a.id).sort()).toEqual(['bom', 'crlf', 'nested', 'twin', 'valid']);
  });
});

describe('loadCorpus on a missing folder', () => {
  it('throws a CorpusFileError naming the folder', async () => {
    const missing = join(tmpdir(), `no-such-corpus-${process.pid}-${Date.now()}`);
    const error = await loadCorpus(missing).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(CorpusFileError);
    expect((error as Error).message).toMatch(/corpus folder not found/);
    expect((error as Error).message).toContain(missing);
  });

  // A file given as the corpus is a usage error ("error: …", exit 2), not a crash.
  it('throws a CorpusFileError when the path is a file, not a folder', async () => {
    const error = await loadCorpus(join(ROOT, 'package.json')).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(CorpusFileError);
  });
});

describe('parseArticleFile', () => {
  it('strips a byte order mark itself when the text still carries one', () => {
    const outcome = parseOutcome(`\uFEFF${md(['title: T', 'lang: fr'], ['Corps.'])}`);
    expect(outcome).toHaveProperty('article.title', 'T');
  });

  it('parses Windows line endings in the front matter and the body', () => {
    const outcome = parseOutcome('---\r\ntitle: T\r\nlang: en\r\n---\r\nOne.\r\n\r\nTwo.\r\n');
    expect(outcome).toHaveProperty('article.lang', 'en');
    expect('article' in outcome && outcome.article.paragraphs.map((p) => p.text)).toEqual(['One.', 'Two.']);
  });

  it('returns a translation with the id of its original', () => {
    const parsed = parseArticleFile('x.en.md', md(['translation_of: x', 'title: X', 'lang: en'], ['One.', 'Two.']));
    expect(parsed.kind).toBe('translation');
    expect(parsed.kind === 'translation' && parsed.of).toBe('x');
    expect(parsed.kind === 'translation' && parsed.translation.paragraphs).toEqual(['One.', 'Two.']);
  });

  it('reports a file whose front matter has no body after it', () => {
    expect(parseOutcome(md(['title: T', 'lang: fr'], []))).toEqual({ reason: expect.stringMatching(/no body paragraphs/) });
  });

  it('reports a published date written day first', () => {
    expect(parseOutcome(md(['title: T', 'lang: fr', 'published: 03/11/2016'], ['Corps.']))).toEqual({
      reason: expect.stringMatching(/published/),
    });
  });

  // YAML would turn `published: 2016-02-30` into a Date rolled over to 2016-03-01; the
  // loader reads front matter as text, so the impossible date is reported instead.
  it.each(['2016-02-30', '2016-13-45'])('reports the impossible published date %s instead of moving it', (date) => {
    expect(parseOutcome(md(['title: T', 'lang: fr', `published: ${date}`], ['Corps.']))).toEqual({
      reason: expect.stringMatching(/published/),
    });
  });

  // A timestamp read as a Date and converted in UTC would land on 2016-11-02: it must be
  // rejected (the contract allows dates only) or kept as 2016-11-03.
  it('does not move a published timestamp with a positive UTC offset to the previous day', () => {
    const outcome = parseOutcome(md(['title: T', 'lang: fr', 'published: 2016-11-03 01:00:00 +05:00'], ['Corps.']));
    const result = 'reason' in outcome ? `rejected: ${outcome.reason}` : outcome.article.published;
    expect(result).toMatch(/^(?:rejected: .*published.*|2016-11-03)$/);
  });
});

describe('listMarkdown', () => {
  it('lists the Markdown files of a folder and its subfolders, READMEs apart, sorted, as path.join names them, whatever form the folder is given in', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'list-md-'));
    try {
      await mkdir(join(dir, 'b', 'deep'), { recursive: true });
      await mkdir(join(dir, 'a.md'));
      for (const f of ['z.md', 'A.MD', 'README.md', 'notes.txt', join('b', 'x.md'), join('b', 'readme.MD'), join('b', 'deep', 'y.Md'), join('a.md', 'inner.md')]) await writeFile(join(dir, f), '');
      // What listing with path.join for every entry gives.
      const byJoin = async (d: string): Promise<string[]> => {
        const out: string[] = [];
        for (const e of await readdir(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (e.isDirectory()) out.push(...(await byJoin(p)));
          else if (e.name.toLowerCase().endsWith('.md') && e.name.toLowerCase() !== 'readme.md') out.push(p);
        }
        return out.sort();
      };
      const expected = await byJoin(dir);
      expect(expected.map((p) => p.slice(dir.length + 1))).toEqual(['A.MD', join('a.md', 'inner.md'), join('b', 'deep', 'y.Md'), join('b', 'x.md'), 'z.md']);
      for (const form of [dir, `${dir}/`, `${dir}/./b/..`, `${dir}//`]) expect(listMarkdown(form)).toEqual(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
