import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module (it runs before anything is compiled)
import { cacheFileFor } from '../../scripts/run-bundle.mjs';
import { PROCESS_FLAGS } from '../../src/v8-tuning.js';
import { startAnthropicServer } from '../anthropic/server.js';
import { ROOT, tempDir } from '../helpers.js';

const KEY = 'sk-ant-bundle-SECRET-5566778899';

const run = promisify(execFile);
const LOADER = pathToFileURL(join(ROOT, 'scripts', 'run-bundle.mjs')).href;

/**
 * A new node process running `file` through the loader: its output, what the cache did, and
 * the cache's file (named after the process's flags, `-e` among them here).
 */
async function runThroughLoader(file: string, flags: string[] = []): Promise<{ out: string; cache: string; cacheFile: string }> {
  const code = `import { runWithCodeCache, cacheFileFor } from ${JSON.stringify(LOADER)};
const cache = runWithCodeCache(${JSON.stringify(file)});
process.on('exit', () => console.log(JSON.stringify({ cache, cacheFile: cacheFileFor(${JSON.stringify(file)}) })));`;
  const { stdout } = await run(process.execPath, [...flags, '--input-type=module', '-e', code], { encoding: 'utf8' });
  const lines = stdout.trim().split('\n');
  return { out: lines.slice(0, -1).join('\n'), ...(JSON.parse(lines.at(-1)!) as { cache: string; cacheFile: string }) };
}

/** The real command line, as the npm scripts run it: one question on the shipped corpus. */
function askCompiled(env: Record<string, string>) {
  return run(process.execPath, [...PROCESS_FLAGS, join(ROOT, 'bin', 'actu-qa.mjs'), 'ask', '--json', '--no-cache', 'Quand la VoIP a-t-elle été rétablie ?'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CORPUS_DIR: '', LOG_LEVEL: 'warn', ...env },
  });
}

describe('the compiled command line runs through a V8 code cache (scripts/run-bundle.mjs)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('qa-bundle-'));
    file = join(dir, 'main.cjs');
    // A CommonJS script as esbuild writes one: a #! line, require, __filename, module.exports,
    // and a function compiled only when it runs (lazily), after the top level.
    writeFileSync(
      file,
      [
        '#!/usr/bin/env node',
        "'use strict';",
        "const { basename } = require('node:path');",
        'function later(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }',
        'module.exports = { later };',
        "console.log(basename(__filename), typeof exports, this === exports, later(10), new Error('here').stack.split('\\n')[1].trim());",
      ].join('\n'),
    );
  });
  afterAll(() => cleanup());

  it('writes the cache on the first run and uses it on the next, with the same results', async () => {
    const first = await runThroughLoader(file);
    expect(first.cache).toBe('absent');
    // As node runs a CommonJS file: its own name, exports, `this`, and line numbers kept
    // (the error is on line 6 of the file, #! line included).
    expect(first.out).toMatch(/^main\.cjs object true 45 at .*main\.cjs:6:\d+\)?$/);
    expect(existsSync(first.cacheFile)).toBe(true);
    const second = await runThroughLoader(file);
    expect(second).toEqual({ ...first, cache: 'used' });
    // No temporary file is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('compiles afresh from a damaged cache (V8 alone crashed on one), and writes a good one again', async () => {
    const { cacheFile } = await runThroughLoader(file);
    const good = readFileSync(cacheFile);
    // Past the checksum and V8's own header: bytes V8 itself does not check.
    writeFileSync(cacheFile, Buffer.concat([good.subarray(0, 100), Buffer.alloc(good.length - 100, 7)]));
    const damaged = await runThroughLoader(file);
    expect(damaged.cache).toBe('refused');
    expect(damaged.out).toMatch(/^main\.cjs object true 45 /);
    expect((await runThroughLoader(file)).cache).toBe('used');
    // Cut short, or empty.
    writeFileSync(cacheFile, good.subarray(0, good.length >> 1));
    expect(await runThroughLoader(file)).toMatchObject({ cache: 'refused', out: damaged.out });
    writeFileSync(cacheFile, '');
    expect(await runThroughLoader(file)).toMatchObject({ cache: 'refused', out: damaged.out });
  });

  it("leaves to V8 a sound cache that is another script's: refused, and replaced", async () => {
    const other = join(dir, 'other.cjs');
    writeFileSync(other, "console.log('other');\n");
    const { cacheFile: otherCache } = await runThroughLoader(other);
    const { cacheFile } = await runThroughLoader(file);
    writeFileSync(cacheFile, readFileSync(otherCache));
    expect(await runThroughLoader(file)).toMatchObject({ cache: 'refused', out: expect.stringMatching(/^main\.cjs object true 45 /) });
    expect((await runThroughLoader(file)).cache).toBe('used');
  });

  it('keeps a cache per node version and flags, which V8 would refuse from one another', async () => {
    expect(cacheFileFor(file, ['--expose-gc'])).not.toBe(cacheFileFor(file, []));
    expect(cacheFileFor(file, [], 'v20.0.0')).not.toBe(cacheFileFor(file, [], 'v20.0.1'));
    expect(cacheFileFor(file, ['--expose-gc'])).toBe(cacheFileFor(file, ['--expose-gc']));
    const plain = await runThroughLoader(file);
    const flagged = await runThroughLoader(file, ['--expose-gc']);
    expect(flagged.cacheFile).not.toBe(plain.cacheFile);
    expect(flagged.cache).toBe('absent');
    expect(existsSync(flagged.cacheFile)).toBe(true);
    expect((await runThroughLoader(file, ['--expose-gc'])).cache).toBe('used');
    expect((await runThroughLoader(file)).cache).toBe('used');
  });

  it('runs the real command line from its build, strict, with a cache beside it', async () => {
    const ask = () => askCompiled({ ANTHROPIC_API_KEY: '' });
    const first = await ask();
    expect(JSON.parse(first.stdout)).toMatchObject({ found: true, answer: expect.stringContaining('3 novembre 2016') });
    const { dir: build } = JSON.parse(readFileSync(join(ROOT, 'dist', 'current.json'), 'utf8')) as { dir: string };
    const main = join(ROOT, 'dist', build, 'main.cjs');
    // The ES modules it replaces were strict; the script says so before any statement.
    expect(readFileSync(main, 'utf8').split('\n').slice(0, 2)).toEqual(['#!/usr/bin/env node', "'use strict';"]);
    expect(existsSync(cacheFileFor(main, [...PROCESS_FLAGS]))).toBe(true);
    expect((await ask()).stdout).toBe(first.stdout);
  });

  it('generates through the Anthropic SDK from the compiled script, and tells its errors apart', async () => {
    // The script requires the SDK's CommonJS build where the sources import its ES module:
    // the client and its error classes must still be the ones the code checks against.
    const server = await startAnthropicServer({ apiKey: KEY });
    try {
      const ask = () => askCompiled({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.baseURL, ANTHROPIC_MAX_RETRIES: '0' });
      server.respondWith();
      expect(JSON.parse((await ask()).stdout)).toMatchObject({ mode: 'generated', found: true });
      server.respondWith(() => ({ kind: 'error', status: 529 }));
      const overloaded = await ask();
      expect(JSON.parse(overloaded.stdout)).toMatchObject({ mode: 'extractive', fallback: 'overloaded', answer: expect.stringContaining('3 novembre 2016') });
      expect(overloaded.stdout + overloaded.stderr).not.toContain(KEY);
    } finally {
      await server.close();
    }
  });
});
