import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/loader.js';
import { BATCH_READY_BY_MS, BATCH_WARM_UP_MS, warmUpBudget } from '../../src/cli/ask.js';
import { runCli, spawnCli } from './run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let cacheDir: string;
let scratch: string;
let shippedParagraphs: string[];

const cli = (args: string[], input?: string) => runCli(args, { input, cacheDir });

const QUESTION_FR = 'Quand la VoIP a-t-elle été rétablie ?';
const TIMEOUT = { timeout: 30_000 };

/** stdout as JSON lines: every line must parse. */
function jsonLines(stdout: string): Record<string, unknown>[] {
  expect(stdout.endsWith('\n')).toBe(true);
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

interface PassageJson {
  article: string;
  title: string;
  paragraph: number;
  text: string;
  original: string;
  score: number;
}

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'cli-cache-'));
  scratch = await mkdtemp(join(tmpdir(), 'cli-scratch-'));
  const corpus = await loadCorpus(join(ROOT, 'corpus'));
  shippedParagraphs = corpus.articles.find((a) => a.id === 'voip-maroc-2016')!.paragraphs.map((p) => p.text);
});

afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

describe('ask', TIMEOUT, () => {
  it('answers a French question with one JSON object on stdout, citing paragraph 1', async () => {
    const run = await cli(['ask', '--json', QUESTION_FR]);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(1);
    const a = lines[0]!;
    expect(a).toMatchObject({ question: QUESTION_FR, lang: 'fr', found: true, mode: 'extractive' });
    expect(a.answer).toEqual(expect.stringContaining('3 novembre 2016'));
    expect((a.answer as string).length).toBeLessThanOrEqual(2000);
    const passages = a.passages as PassageJson[];
    expect(passages.length).toBeGreaterThan(0);
    const first = passages[0]!;
    expect(first).toMatchObject({ article: 'voip-maroc-2016', title: 'La VoIP (enfin) rétablie au Maroc', paragraph: 1 });
    expect(first.text).toBe(shippedParagraphs[1]);
    expect(first.original).toBe(shippedParagraphs[1]);
    expect(typeof first.score).toBe('number');
    expect(Number.isFinite(first.score)).toBe(true);
  });

  it('answers the same French question in English with --lang en', async () => {
    const run = await cli(['ask', '--json', '--lang', 'en', QUESTION_FR]);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(1);
    const a = lines[0]!;
    expect(a).toMatchObject({ question: QUESTION_FR, lang: 'en', found: true, mode: 'extractive' });
    expect(a.answer).toEqual(expect.stringContaining('November 3'));
    expect(a.answer).not.toMatch(/novembre|Jeudi|paragraphe/);
    const first = (a.passages as PassageJson[])[0]!;
    expect(first).toMatchObject({ article: 'voip-maroc-2016', title: 'VoIP (finally) restored in Morocco', paragraph: 1 });
    expect(first.text).toContain('On Thursday, November 3');
    expect(first.original).toBe(shippedParagraphs[1]);
  });

  it('answers JSONL from stdin line by line, in order, with an error for a line that is not JSON', async () => {
    const input = [
      JSON.stringify({ question: QUESTION_FR }),
      JSON.stringify({ question: 'When was VoIP restored?', lang: 'fr' }),
      'this line is not JSON',
    ].join('\n');
    const run = await cli(['ask', '--json', '--stdin'], `${input}\n`);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ question: QUESTION_FR, lang: 'fr', found: true });
    expect(lines[0]!.answer).toEqual(expect.stringContaining('3 novembre 2016'));
    // The line's "lang" wins over the question's own language.
    expect(lines[1]).toMatchObject({ question: 'When was VoIP restored?', lang: 'fr', found: true });
    expect(lines[1]!.answer).toEqual(expect.stringContaining('3 novembre 2016'));
    expect(lines[2]).toMatchObject({ found: false, error: expect.stringMatching(/JSON object with a "question"/) });
    expect(lines[2]).not.toHaveProperty('passages.0');
  });

  it('warms up before answering a batch for the time it is given, and answers it the same as without', async () => {
    const input = `${[QUESTION_FR, 'Why was VoIP blocked?', 'Qui a gagné la Coupe du monde 2018 ?'].map((question) => JSON.stringify({ question })).join('\n')}\n`;
    const env = { LOG_LEVEL: 'debug' };
    const [warmed, cold, usual] = await Promise.all([
      runCli(['ask', '--json', '--stdin', '--warm-up', '400'], { input, cacheDir, env }),
      runCli(['ask', '--json', '--stdin', '--warm-up', '0'], { input, cacheDir, env }),
      runCli(['ask', '--json', '--stdin'], { input, cacheDir, env }),
    ]);
    for (const run of [warmed, cold, usual]) expect(run.code, run.stderr).toBe(0);
    const warmUp = (stderr: string) =>
      stderr
        .split('\n')
        .filter((l) => l.includes('"warm-up done"'))
        .map((l) => JSON.parse(l) as { asked: number; budgetMs: number; collected: boolean });
    // After its questions, the warm-up's garbage is collected (node has --expose-gc, as the
    // npm scripts give it).
    expect(warmUp(warmed.stderr)).toEqual([expect.objectContaining({ budgetMs: 400, asked: expect.any(Number), collected: true })]);
    expect(warmUp(warmed.stderr)[0]!.asked).toBeGreaterThan(0);
    expect(warmUp(cold.stderr)).toEqual([]);
    // By default, as long as the process's age leaves, within the cap (through tsx, a test's
    // process may already be past the deadline: then no warm-up at all).
    const usualWarmUp = warmUp(usual.stderr);
    expect(usualWarmUp.length).toBeLessThanOrEqual(1);
    for (const w of usualWarmUp) expect(w.budgetMs).toBeGreaterThan(0);
    for (const w of usualWarmUp) expect(w.budgetMs).toBeLessThanOrEqual(BATCH_WARM_UP_MS);
    expect(jsonLines(warmed.stdout)).toHaveLength(3);
    expect(warmed.stdout).toBe(cold.stdout);
    expect(usual.stdout).toBe(cold.stdout);
  });

  it('refuses a --warm-up that is not a number of milliseconds, before loading anything', async () => {
    const run = await runCli(['ask', '--json', '--stdin', '--warm-up', 'soon'], { cacheDir, env: { LOG_LEVEL: 'debug' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--warm-up must be a number of milliseconds/);
    expect(run.stderr).not.toContain('corpus loaded');
    expect(run.stdout).toBe('');
  });

  it('gives the warm-up at most its budget, and nothing once the process is past its deadline', () => {
    expect(warmUpBudget(0)).toBe(BATCH_WARM_UP_MS);
    expect(warmUpBudget(BATCH_READY_BY_MS - BATCH_WARM_UP_MS)).toBe(BATCH_WARM_UP_MS);
    expect(warmUpBudget(BATCH_READY_BY_MS - 40)).toBe(40);
    expect(warmUpBudget(BATCH_READY_BY_MS)).toBe(0);
    expect(warmUpBudget(BATCH_READY_BY_MS + 500)).toBe(0);
  });

  it('writes each stdin answer as soon as it is found, while its input is still open', async () => {
    const child = spawnCli(['ask', '--json', '--stdin'], { cacheDir });
    const lines: string[] = [];
    let pending = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const nextLine = () =>
      new Promise<string>((resolve, reject) => {
        const onData = (d: string) => {
          pending += d;
          const at = pending.indexOf('\n');
          if (at < 0) return;
          child.stdout.off('data', onData);
          const line = pending.slice(0, at);
          pending = pending.slice(at + 1);
          resolve(line);
        };
        child.stdout.on('data', onData);
        void closed.then(() => reject(new Error(`the CLI ended before answering: ${stderr}`)));
      });
    child.stdout.setEncoding('utf8');
    // The first answer comes back before a second question is even written.
    child.stdin.write(`${JSON.stringify({ question: QUESTION_FR })}\n`);
    lines.push(await nextLine());
    expect(JSON.parse(lines[0]!)).toMatchObject({ question: QUESTION_FR, found: true });
    child.stdin.write(`${JSON.stringify({ question: 'Why was VoIP blocked?' })}\n`);
    lines.push(await nextLine());
    expect(JSON.parse(lines[1]!)).toMatchObject({ question: 'Why was VoIP blocked?', lang: 'en', found: true });
    child.stdin.end();
    expect(await closed, stderr).toBe(0);
    expect(pending).toBe('');
  });

  it('prints a readable answer followed by a list of passages without --json', async () => {
    const run = await cli(['ask', QUESTION_FR]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Jeudi 3 novembre 2016');
    expect(run.stdout).toMatch(/^Passages ?:$/m);
    expect(run.stdout).toMatch(/^ {2}1\. \[voip-maroc-2016 §2, score [\d.]+\] Le déblocage de la VoIP/m);
    expect(() => JSON.parse(run.stdout)).toThrow();
  });

  it('skips a broken file of a --corpus folder, names it on stderr and keeps stdout pure JSON', async () => {
    const dir = await mkdtemp(join(scratch, 'corpus-'));
    for (const name of await readdir(join(ROOT, 'corpus'))) await copyFile(join(ROOT, 'corpus', name), join(dir, name));
    await writeFile(join(dir, 'broken.md'), 'no front matter here\n\njust text\n');
    const run = await cli(['ask', '--json', '--corpus', dir, QUESTION_FR]);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ lang: 'fr', found: true });
    expect(lines[0]!.answer).toEqual(expect.stringContaining('3 novembre 2016'));
    expect(run.stderr).toContain('broken.md');
    expect(run.stderr).toMatch(/no front matter/);
  });
});

describe('summary', TIMEOUT, () => {
  it('summarizes the latest article in English as JSON with its sources', async () => {
    const run = await cli(['summary', '--json', '--lang', 'en']);
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(1);
    const s = lines[0]!;
    expect(s).toMatchObject({ article: 'voip-maroc-2016', title: 'VoIP (finally) restored in Morocco', lang: 'en', mode: 'extractive' });
    const summary = s.summary as string;
    expect(summary.length).toBeGreaterThanOrEqual(200);
    expect(summary.length).toBeLessThanOrEqual(1500);
    expect(summary).toMatch(/VoIP/);
    expect(summary).not.toMatch(/novembre|déblocage|rétabli/);
    const sources = s.sources as { article: string; paragraph: number }[];
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(Object.keys(source).sort()).toEqual(['article', 'paragraph']);
      expect(source.article).toBe('voip-maroc-2016');
      expect(Number.isInteger(source.paragraph)).toBe(true);
      // Paragraph 6 is the "LIRE AUSSI" teaser: another article's headline.
      expect(source.paragraph).toBeGreaterThanOrEqual(0);
      expect(source.paragraph).toBeLessThan(6);
    }
  });
});

describe('usage errors', TIMEOUT, () => {
  it('rejects an unsupported --lang with exit code 2', async () => {
    const run = await cli(['ask', '--lang', 'de', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--lang must be "fr" or "en", not "de"/);
    expect(run.stdout).toBe('');
  });

  it('rejects ask without a question with exit code 2', async () => {
    const run = await cli(['ask']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/a question is required/);
    expect(run.stdout).toBe('');
  });

  it('rejects an unknown subcommand with exit code 2 and the list of commands', async () => {
    const run = await cli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/usage: .*ask\|summary\|import/);
    expect(run.stdout).toBe('');
  });

  it('rejects a summary of an unknown article with exit code 2, naming it', async () => {
    const run = await cli(['summary', '--article', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: .*nope/m);
    expect(run.stdout).toBe('');
  });
});

describe('import', TIMEOUT, () => {
  const args = (out: string) => ['import', 'test/fixtures/seed-page.txt', '--published', '2016-11-03', '--source', 'HuffPost Maroc', '--out', out];

  it('writes a corpus file from the raw page that loads like the shipped article, refuses to overwrite it and prints it with --stdout', async () => {
    const out = await mkdtemp(join(scratch, 'import-'));
    const file = join(out, 'la-voip-enfin-retablie-au-maroc.md');

    const first = await cli(args(out));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('');
    expect(await readdir(out)).toEqual(['la-voip-enfin-retablie-au-maroc.md']);
    const written = await readFile(file, 'utf8');

    const corpus = await loadCorpus(out);
    expect(corpus.errors).toEqual([]);
    expect(corpus.articles).toHaveLength(1);
    const a = corpus.articles[0]!;
    expect(a).toMatchObject({
      id: 'la-voip-enfin-retablie-au-maroc',
      title: 'La VoIP (enfin) rétablie au Maroc',
      lang: 'fr',
      source: 'HuffPost Maroc',
      published: '2016-11-03',
    });
    expect(a.paragraphs).toHaveLength(7);
    expect(a.paragraphs.map((p) => p.text)).toEqual(shippedParagraphs);
    expect(a.paragraphs.at(-1)!.kind).toBe('related');

    // WHEN the same import runs again without --force
    const again = await cli(args(out));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists: pass --force/);
    expect(await readFile(file, 'utf8')).toBe(written);

    // WHEN it prints to stdout instead
    const printed = await cli(['import', 'test/fixtures/seed-page.txt', '--published', '2016-11-03', '--source', 'HuffPost Maroc', '--stdout']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(written);
  });
});
