// npm run bench -- [--articles N] [--json] [--keep]
// Builds a seeded synthetic corpus (the shipped one plus N French articles), then measures the
// project and plain lunr + lunr.fr on it, each in its own process, in the same run.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Measurement } from './measure.js';
import { writeSyntheticCorpus } from './synthetic.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { articles: { type: 'string', default: '1000' }, json: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false }, questions: { type: 'string' } } });
const articles = Number(values.articles);
// Progress only for a person at a terminal: quiet in --json mode and in CI.
const progress = (text: string) => {
  if (!values.json && process.stderr.isTTY && !process.env.CI) process.stderr.write(`\r${text}\x1b[K`);
};

const work = await mkdtemp(join(tmpdir(), 'bench-'));
try {
  const corpus = join(work, 'corpus');
  await cp(join(ROOT, 'corpus'), corpus, { recursive: true });
  await writeSyntheticCorpus(join(corpus, 'synthetic'), { articles }, (n) => progress(`writing articles ${n}/${articles}`));
  const questions = values.questions ?? join(ROOT, 'test', 'eval', 'questions.jsonl');
  const measure = (system: string): Measurement => {
    progress(`measuring ${system}…`);
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'bench', 'measure.ts'), '--system', system, '--corpus', corpus, '--cache', join(work, `cache-${system}`), '--questions', questions], {
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
  const summary = results.map((m) => {
    const sorted = [...m.latenciesMs].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
    return {
      system: m.system,
      articles: m.articles,
      passages: m.passages,
      buildMs: Math.round(m.buildMs),
      loadMs: Math.round(m.loadMs),
      indexMb: +(m.indexBytes / 2 ** 20).toFixed(1),
      queryMeanMs: +(sorted.reduce((s, x) => s + x, 0) / sorted.length).toFixed(2),
      p50Ms: +at(0.5).toFixed(2),
      p95Ms: +at(0.95).toFixed(2),
      p99Ms: +at(0.99).toFixed(2),
      peakRssMb: Math.round(m.peakRssMb),
    };
  });
  if (values.json) process.stdout.write(`${JSON.stringify({ articles, machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, results: summary })}\n`);
  else {
    const cols = Object.keys(summary[0]!) as (keyof (typeof summary)[number])[];
    console.log(cols.join('\t'));
    for (const row of summary) console.log(cols.map((c) => row[c]).join('\t'));
  }
} finally {
  if (!values.keep) await rm(work, { recursive: true, force: true });
  else console.error(`kept ${work}`);
}
