import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { articleFile, cleanPage, slugify, type ArticleFields, type CleanPage } from '../../src/corpus/clean.js';
import { loadCorpus, parseArticleFile } from '../../src/corpus/loader.js';
import { paragraphKind } from '../../src/corpus/paragraphs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('cleanPage on the raw seed page', () => {
  let page: CleanPage;
  let shipped: string[];

  beforeAll(async () => {
    page = cleanPage(await readFile(join(ROOT, 'test/fixtures/seed-page.txt'), 'utf8'));
    const corpus = await loadCorpus(join(ROOT, 'corpus'));
    shipped = corpus.articles.find((a) => a.id === 'voip-maroc-2016')!.paragraphs.map((p) => p.text);
  });

  it('takes the headline as the title', () => {
    expect(page.title).toBe('La VoIP (enfin) rétablie au Maroc');
  });

  it('leaves none of the page furniture in any paragraph', () => {
    const furniture = [/Huffpost Maroc mg/i, /Publication\s*:/, /Mis à jour/, /BLOCAGE VOIP/, /^Imprimer$/m, /rétablie au Maroc \|/];
    for (const paragraph of page.paragraphs) {
      for (const pattern of furniture) expect(paragraph).not.toMatch(pattern);
    }
    // The headline is the title, not a paragraph.
    expect(page.paragraphs).not.toContain('La VoIP (enfin) rétablie au Maroc');
    expect(page.paragraphs[0]).toMatch(/^TÉLÉPHONIE - /);
  });

  it('reports what it dropped and keeps the section line as a tag', () => {
    expect(page.tags).toContain('BLOCAGE VOIP');
    expect(page.dropped).toEqual(expect.arrayContaining(['Huffpost Maroc mg', 'Publication: Mis à jour:', 'Imprimer', 'La VoIP (enfin) rétablie au Maroc |']));
  });

  it('yields the 7 paragraphs of the shipped corpus article, word for word', () => {
    expect(page.paragraphs).toHaveLength(7);
    expect(page.paragraphs).toEqual(shipped);
  });

  it('keeps the "LIRE AUSSI" teaser as the last paragraph, of kind related', () => {
    const last = page.paragraphs.at(-1)!;
    expect(last).toMatch(/^LIRE AUSSI:/);
    expect(paragraphKind(last)).toBe('related');
    expect(page.paragraphs.slice(0, -1).map(paragraphKind)).toEqual(Array(6).fill('body'));
  });

  it('detects French and finds no date on a "Publication:" line that has none', () => {
    expect(page.lang).toBe('fr');
    expect(page.published).toBeUndefined();
  });
});

describe('cleanPage on other pages', () => {
  const body = "Le régulateur a annoncé mardi une nouvelle décision sur les appels via Internet au Maroc, qui concerne tous les opérateurs.";

  it.each(['Publication: 03/11/2016', 'Publication: 2016-11-03', 'Publié le 3 novembre 2016'])(
    'reads the publication date from a "%s" line',
    (dateLine) => {
      const page = cleanPage(`Un titre d'article\n${dateLine}\n\n${body}\n`);
      expect(page.published).toBe('2016-11-03');
      expect(page.title).toBe("Un titre d'article");
      expect(page.paragraphs).toEqual([body]);
    },
  );

  it('throws when the page holds no text at all', () => {
    expect(() => cleanPage('')).toThrow(/no title found/);
    expect(() => cleanPage('   \n\n  \n')).toThrow(/no title found/);
  });

  it('throws when the page holds a title but no article text', () => {
    expect(() => cleanPage('Juste un titre\n')).toThrow(/no article text/);
    expect(() => cleanPage('Huffpost Maroc mg\nImprimer\n', { title: 'Titre donné' })).toThrow(/no article text/);
  });

  it('uses a title given as a hint and drops its repetition on the page', () => {
    const page = cleanPage(`Titre donné |\n\n${body}\n`, { title: 'Titre donné' });
    expect(page.title).toBe('Titre donné');
    expect(page.paragraphs).toEqual([body]);
  });
});

describe('slugify', () => {
  it('turns a French headline into a file-name-safe id', () => {
    expect(slugify('La VoIP (enfin) rétablie au Maroc')).toBe('la-voip-enfin-retablie-au-maroc');
    expect(slugify(`Maroc : l'ANRT dit "stop" à la VoIP`)).toBe('maroc-l-anrt-dit-stop-a-la-voip');
  });

  it('caps the id at 60 characters without a trailing dash', () => {
    const slug = slugify('Un titre très très long qui dépasse largement la limite fixée pour un identifiant de fichier');
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});

describe('articleFile', () => {
  function roundTrip(fields: ArticleFields, paragraphs: string[]) {
    const text = articleFile(fields, paragraphs);
    const parsed = parseArticleFile(`${fields.id}.md`, text);
    if (parsed.kind !== 'article') throw new Error('expected an article');
    return parsed.article;
  }

  it('writes a file that parseArticleFile reads back field for field', () => {
    const fields: ArticleFields = {
      id: slugify('La VoIP (enfin) rétablie au Maroc'),
      title: 'La VoIP (enfin) rétablie au Maroc',
      lang: 'fr',
      source: 'HuffPost Maroc',
      url: 'https://www.huffpostmaghreb.com/2016/11/03/voip-maroc_n_12776498.html?utm=a:b#x',
      published: '2016-11-03',
      tags: ['BLOCAGE VOIP'],
    };
    const paragraphs = ['Premier paragraphe.', 'Second paragraphe, avec "guillemets" : et deux-points.', 'LIRE AUSSI: Autre article'];
    const a = roundTrip(fields, paragraphs);
    expect(a).toMatchObject({
      id: 'la-voip-enfin-retablie-au-maroc',
      title: fields.title,
      lang: 'fr',
      source: fields.source,
      url: fields.url,
      published: '2016-11-03',
    });
    expect(a.paragraphs.map((p) => p.text)).toEqual(paragraphs);
    expect(a.paragraphs.map((p) => p.kind)).toEqual(['body', 'body', 'related']);
  });

  it.each([
    `Maroc : l'ANRT dit "stop" à la VoIP`,
    `"Stop", dit l'ANRT`,
    'VoIP: la fin du blocage',
    'Skype # WhatsApp',
    '1984',
    '12:30, heure de Rabat',
  ])('keeps the title %s intact through YAML', (title) => {
    const a = roundTrip({ id: slugify(title) || 'x', title, lang: 'fr', source: title }, ['Corps.']);
    expect(a.title).toBe(title);
    expect(a.source).toBe(title);
  });

  // Plain YAML reads "True" as a boolean, "Null" as null, "1e3" as 1000 and "0x1F" as 31:
  // written titles must come back as written.
  it.each(['True', 'Null', '1e3', '0x1F'])('keeps the YAML-ambiguous title %s intact', (title) => {
    const a = roundTrip({ id: 'ambiguous', title, lang: 'en' }, ['Body.']);
    expect(a.title).toBe(title);
  });
});
