// One system measured in its own process, so peak memory is its own:
//   tsx src/bench/measure.ts --system project|lunr --corpus DIR --cache DIR --questions FILE
// First: the project is measured with the V8 flags its CLI and bot run with.
import '../v8-tuning.js';
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
  /** Peak resident memory by the end of each phase (the build includes its threads). */
  peakAfterMb?: { build: number; load: number; queries: number; reload: number };
  /** A new process answering one question from the warm cache (the CLI), end to end. */
  warmStartMs?: number;
  /**
   * What each further question adds to such a process, every question asked once: (the
   * time for all of them − the time for one) / (their number − 1). Each is a first sight
   * in a process that has just started, as an independent run of the CLI sees it.
   */
  cliPerQuestionMs?: number;
  /**
   * The same read from the process's output: (the last answer's time − the first's) /
   * (their number − 1), median over the pairs. Free of the start's and exit's spread (one
   * process starts ±150 ms apart from the next on a shared machine, which moves the figure
   * above by ±2–4 ms a question), and of the exit.
   */
  cliStreamPerQuestionMs?: number;
  /** Rounds over the questions (latenciesMs holds them in order). */
  rounds: number;
  /** `/reload` after one article changed, and the longest the event loop stalled meanwhile. */
  reloadMs?: number;
  reloadStallMs?: number;
}

const { values } = parseArgs({ options: { system: { type: 'string' }, corpus: { type: 'string' }, cache: { type: 'string' }, questions: { type: 'string' }, rounds: { type: 'string', default: '3' } } });
const questions = parseQuestions(await readFile(values.questions!, 'utf8'));
const rounds = Number(values.rounds);
const time = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
};

/** New CLI processes timed, each answering one question then all of them. */
const CLI_PAIRS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let result: Measurement;
if (values.system === 'project') {
  await mkdir(values.cache!, { recursive: true });
  let buildMs: number;
  {
    // The built index is dropped (out of scope) before the cache is loaded: a bot holds one.
    const [built, ms] = await time(() => Engine.open({ corpusDir: values.corpus!, cacheDir: values.cache! }));
    await built.engine.close();
    buildMs = ms;
  }
  const peakNow = () => Math.round(process.resourceUsage().maxRSS / 1024);
  const peakAfterMb = { build: peakNow(), load: 0, queries: 0, reload: 0 };
  const [warm, loadMs] = await time(() => Engine.open({ corpusDir: values.corpus!, cacheDir: values.cache! }));
  peakAfterMb.load = peakNow();
  // As the bot does at start (src/discord/runtime.ts), before the first user asks.
  await warm.engine.warmUp();
  const latenciesMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) latenciesMs.push((await time(() => warm.engine.ask(q.question, { lang: q.lang ?? null })))[1]);
  }
  peakAfterMb.queries = peakNow();
  const { statSync, readdirSync, readFileSync, writeFileSync } = await import('node:fs');
  const indexBytes = readdirSync(values.cache!).reduce((n, f) => n + statSync(`${values.cache}/${f}`).size, 0);
  // Start-up as a user sees it: the documented command, in a new process, warm cache, one
  // question on stdin, exit.
  const { spawn } = await import('node:child_process');
  // The whole process timed, and when its first and last answers came out.
  const askCli = (asked: typeof questions) =>
    new Promise<{ ms: number; firstToLast: number }>((resolve, reject) => {
      const t = performance.now();
      const child = spawn('npm', ['run', '--silent', 'ask', '--', '--json', '--stdin', '--no-generate', '--corpus', values.corpus!], {
        env: { ...process.env, CACHE_DIR: values.cache!, ANTHROPIC_API_KEY: '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      let answers = 0;
      let first = 0;
      let last = 0;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const lines = out.split('\n');
        out = lines.pop()!;
        for (const line of lines) {
          if (!line.includes('"found"')) continue;
          last = performance.now();
          if (answers++ === 0) first = last;
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0 || answers !== asked.length) reject(new Error(`ask failed: ${err}`));
        else resolve({ ms: performance.now() - t, firstToLast: last - first });
      });
      child.stdin.end(asked.map((q) => `${JSON.stringify({ question: q.question, lang: q.lang ?? null })}\n`).join(''));
    });
  const starts: number[] = [];
  const perQuestion: number[] = [];
  const streamed: number[] = [];
  // Seven pairs, the median of each kept: on a shared machine one pair moves by ±3 ms a question.
  for (let i = 0; i < CLI_PAIRS; i++) {
    const one = (await askCli(questions.slice(0, 1))).ms;
    starts.push(one);
    if (questions.length > 1) {
      const all = await askCli(questions);
      perQuestion.push((all.ms - one) / (questions.length - 1));
      streamed.push(all.firstToLast / (questions.length - 1));
    }
  }
  // One article changed, then /reload: timed, and the event loop watched meanwhile.
  const victim = readdirSync(`${values.corpus}/synthetic`).sort()[0];
  let reloadMs: number | undefined;
  let reloadStallMs: number | undefined;
  if (victim) {
    // As the bot does at start, before anything changed.
    await warm.engine.prepareReload();
    const path = `${values.corpus}/synthetic/${victim}`;
    writeFileSync(path, `${readFileSync(path, 'utf8')}\nUne phrase ajoutée pour la mesure du rechargement.\n`);
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const [, ms] = await time(() => warm.engine.reload());
    delay.disable();
    reloadMs = ms;
    reloadStallMs = delay.max / 1e6;
    await warm.engine.close();
  }
  peakAfterMb.reload = peakNow();
  result = {
    system: 'project',
    articles: warm.stats.articles,
    passages: warm.stats.passages,
    buildMs,
    loadMs,
    indexBytes,
    latenciesMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakAfterMb,
    warmStartMs: median(starts),
    cliPerQuestionMs: perQuestion.length ? median(perQuestion) : undefined,
    cliStreamPerQuestionMs: streamed.length ? median(streamed) : undefined,
    rounds,
    reloadMs,
    reloadStallMs,
  };
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
  // One round unmeasured, as for the project (whose bot warms up at start).
  for (const q of questions) index.search(q.question.replace(/[:^~*+\-"]/g, ' '));
  for (let r = 0; r < rounds; r++) {
    // The query parser throws on user syntax: plain lunr users strip it first.
    for (const q of questions) latenciesMs.push((await time(() => index.search(q.question.replace(/[:^~*+\-"]/g, ' '))))[1]);
  }
  const passages = corpus.articles.reduce((n, a) => n + a.paragraphs.length, 0);
  result = { system: 'lunr', articles: corpus.articles.length, passages, buildMs, loadMs, indexBytes: serialized.length, latenciesMs, rounds, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
