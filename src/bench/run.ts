// npm run bench -- [--articles N | --sizes 1000,5000,10000] [--json] [--chart FILE.svg] [--keep]
// Builds a seeded synthetic corpus (the shipped one plus N French articles), then measures the
// project and plain lunr + lunr.fr on it, each in its own process, in the same run.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Measurement } from './measure.js';
import { writeSyntheticCorpus } from './synthetic.js';
import { build, freshBuild } from '../../scripts/build.mjs';
import { renderChart } from './chart.js';
import { PROCESS_FLAGS } from '../v8-tuning.js';
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000' },
    sizes: { type: 'string' },
    json: { type: 'boolean', default: false },
    chart: { type: 'string' },
    keep: { type: 'boolean', default: false },
    questions: { type: 'string' },
  },
});
const sizes = (values.sizes ?? values.articles).split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 0)) {
  console.error('usage: bench [--articles N | --sizes N,N,...] [--json] [--chart FILE.svg] [--keep]');
  process.exit(2);
}
// Progress only for a person at a terminal: quiet in --json mode and in CI.
const progress = (text: string) => {
  if (!values.json && process.stderr.isTTY && !process.env.CI) process.stderr.write(`\r${text}\x1b[K`);
};

type Row = ReturnType<typeof summarize>[number];
function summarize(results: Measurement[]) {
  return results.map((m) => {
    const sorted = [...m.latenciesMs].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
    // The first round alone: every question seen for the first time by that process.
    const first = m.latenciesMs.slice(0, Math.round(m.latenciesMs.length / Math.max(m.rounds, 1))).sort((a, b) => a - b);
    const ms = (x: number | undefined) => (x === undefined ? null : Math.round(x));
    return {
      system: m.system,
      articles: m.articles,
      passages: m.passages,
      buildMs: Math.round(m.buildMs),
      loadMs: Math.round(m.loadMs),
      warmStartMs: ms(m.warmStartMs),
      reloadMs: ms(m.reloadMs),
      reloadStallMs: ms(m.reloadStallMs),
      indexMb: +(m.indexBytes / 2 ** 20).toFixed(1),
      queryMeanMs: +(sorted.reduce((s, x) => s + x, 0) / sorted.length).toFixed(2),
      p50Ms: +at(0.5).toFixed(2),
      p95Ms: +at(0.95).toFixed(2),
      p99Ms: +at(0.99).toFixed(2),
      firstRoundMeanMs: +(first.reduce((s, x) => s + x, 0) / first.length).toFixed(2),
      firstRoundP99Ms: +first[Math.min(first.length - 1, Math.floor(0.99 * first.length))]!.toFixed(2),
      cliPerQuestionMs: m.cliPerQuestionMs === undefined ? null : +m.cliPerQuestionMs.toFixed(2),
      cliStreamPerQuestionMs: m.cliStreamPerQuestionMs === undefined ? null : +m.cliStreamPerQuestionMs.toFixed(2),
      peakRssMb: Math.round(m.peakRssMb),
    };
  });
}

const bundle = freshBuild() ?? (await build());
const rows: Row[] = [];
for (const articles of sizes) rows.push(...(await runSize(articles)));
if (values.json) process.stdout.write(`${JSON.stringify({ sizes, machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, date: new Date().toISOString() }, results: rows })}\n`);
else {
  const cols = Object.keys(rows[0]!) as (keyof Row)[];
  console.log(cols.join('\t'));
  for (const row of rows) console.log(cols.map((c) => row[c] ?? '-').join('\t'));
}
if (values.chart) {
  const svg = renderChart(
    rows.map((r) => ({ system: r.system, articles: r.articles, queryMeanMs: r.queryMeanMs, p99Ms: r.p99Ms, peakRssMb: r.peakRssMb })),
    { title: 'Per-question latency and peak memory against corpus size', subtitle: `${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`, targets: { latencyMeanMs: 5, latencyP99Ms: 15, peakRssMb: 600 } },
  );
  await writeFile(values.chart, svg);
}

async function runSize(articles: number): Promise<Row[]> {
const work = await mkdtemp(join(tmpdir(), 'bench-'));
try {
  const corpus = join(work, 'corpus');
  await cp(join(ROOT, 'corpus'), corpus, { recursive: true });
  await writeSyntheticCorpus(join(corpus, 'synthetic'), { articles }, (n) => progress(`${articles} articles: writing ${n}/${articles}`));
  // An archive, not files written this instant: a scan within 2 s of a file's last write reads
  // it again rather than trusting its size and time (src/search/store.ts), which would make
  // the cache load measure the generator rather than the cache.
  const past = new Date(Date.now() - 60_000);
  for (const dir of [corpus, join(corpus, 'synthetic')]) for (const f of await readdir(dir)) if (f.endsWith('.md')) await utimes(join(dir, f), past, past);
  const questions = values.questions ?? join(ROOT, 'test', 'eval', 'questions.jsonl');
  const measure = (system: string): Measurement => {
    progress(`${articles} articles: measuring ${system}…`);
    // The compiled bundle, as `npm run ask` and `npm start` run (its build threads included).
    const run = spawnSync(process.execPath, [...PROCESS_FLAGS, join(bundle, 'measure.js'), '--system', system, '--corpus', corpus, '--cache', join(work, `cache-${system}`), '--questions', questions], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    if (run.status !== 0) throw new Error(`${system} failed: ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Measurement;
  };
  const results = [measure('project'), measure('lunr')];
  progress('');
  return summarize(results);
} finally {
  if (!values.keep) await rm(work, { recursive: true, force: true });
  else console.error(`kept ${work}`);
}
}
