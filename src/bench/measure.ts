// One system measured in its own process, so peak memory is its own:
//   tsx src/bench/measure.ts --system project|lunr --corpus DIR --cache DIR --questions FILE
import { mkdir, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadCorpus } from '../corpus/loader.js';
import { Engine } from '../engine.js';
import { parseQuestions } from '../eval/checks.js';
import { lunr } from '../language/stemmers.js';

export interface Measurement {
  system: 'project' | 'lunr';
  articles: number;
  passages: number;
  buildMs: number;
  loadMs: number;
  indexBytes: number;
  latenciesMs: number[];
  peakRssMb: number;
}

const { values } = parseArgs({ options: { system: { type: 'string' }, corpus: { type: 'string' }, cache: { type: 'string' }, questions: { type: 'string' }, rounds: { type: 'string', default: '3' } } });
const questions = parseQuestions(await readFile(values.questions!, 'utf8'));
const rounds = Number(values.rounds);
const time = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
};

let result: Measurement;
if (values.system === 'project') {
  await mkdir(values.cache!, { recursive: true });
  const [built, buildMs] = await time(() => Engine.open({ corpusDir: values.corpus!, cacheDir: values.cache! }));
  const [warm, loadMs] = await time(() => Engine.open({ corpusDir: values.corpus!, cacheDir: values.cache! }));
  void built;
  const latenciesMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) latenciesMs.push((await time(() => warm.engine.ask(q.question, { lang: q.lang ?? null })))[1]);
  }
  const { statSync, readdirSync } = await import('node:fs');
  const indexBytes = readdirSync(values.cache!).reduce((n, f) => n + statSync(`${values.cache}/${f}`).size, 0);
  result = { system: 'project', articles: warm.stats.articles, passages: warm.stats.passages, buildMs, loadMs, indexBytes, latenciesMs, peakRssMb: process.resourceUsage().maxRSS / 1024 };
} else {
  // Plain lunr + lunr.fr over paragraphs, as a newcomer would write it.
  const corpus = await loadCorpus(values.corpus!);
  const [index, buildMs] = await time(() =>
    lunr(function (this: lunr.Builder) {
      this.use((lunr as unknown as { fr: lunr.Builder.Plugin }).fr);
      this.ref('ref');
      this.field('title', { boost: 2 });
      this.field('body');
      for (const a of corpus.articles) for (const p of a.paragraphs) this.add({ ref: `${a.id}#${p.index}`, title: a.title, body: p.text });
    }),
  );
  const serialized = JSON.stringify(index);
  const [, loadMs] = await time(() => lunr.Index.load(JSON.parse(serialized)));
  const latenciesMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // The query parser throws on user syntax: plain lunr users strip it first.
    for (const q of questions) latenciesMs.push((await time(() => index.search(q.question.replace(/[:^~*+\-"]/g, ' '))))[1]);
  }
  const passages = corpus.articles.reduce((n, a) => n + a.paragraphs.length, 0);
  result = { system: 'lunr', articles: corpus.articles.length, passages, buildMs, loadMs, indexBytes: serialized.length, latenciesMs, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
