// Compiles the TypeScript sources into bundles (dist/<build>/), with esbuild: the command line
// as one CommonJS script (main.cjs, run through V8's code cache: scripts/run-bundle.mjs), the
// other entries as ES modules. The CLI, the bot, its index worker and its shard processes then
// start on plain JavaScript:
// no TypeScript loader thread, no per-file resolution through loader hooks (≈0.6 s saved on
// every start). dist/current.json names the newest build and the sources it was made from, so
// bin/actu-qa.mjs can tell whether it is still fresh without reading any source.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
const CURRENT = join(DIST, 'current.json');
/** Builds kept besides the newest: a process started on an older one may still load its chunks. */
const KEEP = 3;

/** Entry points, each becoming dist/<build>/<name>.js next to the chunks they share. */
const ENTRIES = {
  // loaded by src/search/builder.ts as ./build-worker.js, and src/discord/sharding.ts as ./shard.js
  'build-worker': 'src/search/build-worker.ts',
  shard: 'src/discord/shard.ts',
  // npm run bench measures the project as it runs: from this bundle
  measure: 'src/bench/measure.ts',
  // run by bin/actu-qa.mjs before it compiles main.cjs (scripts/run-bundle.mjs)
  'v8-tuning': 'src/v8-tuning.ts',
};
/**
 * The command line itself (src/cli/main.ts) is one CommonJS script, dist/<build>/main.cjs,
 * rather than ES modules: V8 can then keep its compiled code between runs (a code cache,
 * scripts/run-bundle.mjs), which Node 20 offers for scripts only. Its dynamic imports
 * become requires, and import.meta.url this file's URL (import.meta.resolve is only used
 * when running from the TypeScript sources).
 */
const CLI_ENTRY = 'src/cli/main.ts';
export const CLI_FILE = 'main.cjs';
/** Besides the bundled sources, a build depends on these files. */
const EXTRA_INPUTS = ['package.json', 'scripts/build.mjs', 'scripts/run-bundle.mjs'];

const fingerprint = (path) => {
  const s = statSync(join(ROOT, path));
  return `${s.size}:${s.mtimeMs}`;
};

/** The current build's folder, or null when there is none or a source changed since. */
export function freshBuild() {
  let current;
  try {
    current = JSON.parse(readFileSync(CURRENT, 'utf8'));
  } catch {
    return null;
  }
  try {
    for (const [path, print] of Object.entries(current.inputs)) if (fingerprint(path) !== print) return null;
    statSync(join(DIST, current.dir, CLI_FILE));
  } catch {
    return null; // a source was removed, or the build was
  }
  return join(DIST, current.dir);
}

/**
 * Dependencies compiled into the bundle: zod is a tree of a hundred modules that took a
 * tenth of a second to load, a tenth of a start-up; in the bundle, only what is used is
 * there. The others load from node_modules (some load files or threads by path).
 */
const BUNDLED = ['zod'];
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const EXTERNAL = Object.keys({ ...PACKAGE.dependencies, ...PACKAGE.devDependencies })
  .filter((name) => !BUNDLED.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

/** Builds the bundle and makes it current; returns its folder. Throws with esbuild's messages. */
export async function build() {
  const esbuild = await import('esbuild');
  mkdirSync(DIST, { recursive: true });
  const dir = `build-${Date.now().toString(36)}-${process.pid}`;
  const out = join(DIST, dir);
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Dependencies stay in node_modules and load natively, but for those bundled (BUNDLED).
    external: EXTERNAL,
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
  };
  // The segment cache's format version hashes the analyzer's sources: tell the bundle where
  // they are, relative to itself (src/search/store.ts).
  const searchSources = JSON.stringify(`${relative(out, join(ROOT, 'src', 'search')).split('\\').join('/')}/`);
  const [result, cli] = await Promise.all([
    esbuild.build({ ...common, entryPoints: ENTRIES, splitting: true, format: 'esm', outdir: out, define: { __SEARCH_SOURCES__: searchSources } }),
    esbuild.build({
      ...common,
      entryPoints: [CLI_ENTRY],
      format: 'cjs',
      outfile: join(out, CLI_FILE),
      supported: { 'dynamic-import': false },
      // Strict, as the ES modules it replaces were.
      banner: { js: "'use strict';\nconst __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      define: { __SEARCH_SOURCES__: searchSources, 'import.meta.url': '__importMetaUrl' },
      logOverride: { 'empty-import-meta': 'silent' },
    }),
  ]);
  // src/language/lexicon.ts requires its JSON next to itself.
  writeFileSync(join(out, 'lexicon.en-fr.json'), readFileSync(join(ROOT, 'src', 'language', 'lexicon.en-fr.json')));
  const inputs = {};
  const sources = new Set([...Object.keys(result.metafile.inputs), ...Object.keys(cli.metafile.inputs)].filter((p) => !p.includes('node_modules')));
  for (const path of [...sources, 'src/language/lexicon.en-fr.json', ...EXTRA_INPUTS]) {
    inputs[path] = fingerprint(path);
  }
  // Atomic switch: a process starting meanwhile sees either the old build or the new one.
  const tmp = `${CURRENT}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ dir, inputs }));
  renameSync(tmp, CURRENT);
  prune(dir);
  return out;
}

function prune(keep) {
  const builds = readdirSync(DIST)
    .filter((d) => d.startsWith('build-') && d !== keep)
    .map((d) => ({ d, t: statSync(join(DIST, d)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { d } of builds.slice(KEEP)) rmSync(join(DIST, d), { recursive: true, force: true });
}

// `node scripts/build.mjs` (npm's prepare step, run by `npm ci`): build now.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const out = await build();
    console.log(`built ${relative(ROOT, out)}`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
