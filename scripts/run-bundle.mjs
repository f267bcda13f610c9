// Runs the compiled command line (dist/<build>/main.cjs) with a V8 code cache beside it.
//
// A new process spends a tenth of its start compiling the bundle: parsing 400 KB of
// JavaScript, then each function the first time it runs (the load, the first questions).
// V8 can write what it compiled to a file and take it back on the next run instead of
// compiling again. Node 20 offers that for scripts only (vm.Script's cachedData), hence a
// CommonJS bundle. The cache is written when the process exits, so it holds every function
// the run compiled, not only the top level; a cache V8 refuses (another V8, other flags) or
// that fails its checksum costs nothing but the compile it would have saved, and is written
// again.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { CLI_FILE } from './build.mjs';

/**
 * The cache's file for this node and these flags: V8 refuses a cache made by another version
 * or with other flags (`node --expose-gc` or not), so each kind of run keeps its own rather
 * than each rewriting the other's.
 */
export function cacheFileFor(file, execArgv = process.execArgv, version = process.version) {
  let h = 0x811c9dc5; // FNV-1a: a name (the checksum below guards the contents)
  for (const c of `${version}\0${process.arch}\0${execArgv.join('\0')}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return `${file}.${(h >>> 0).toString(16).padStart(8, '0')}.v8cache`;
}

/**
 * Compile and run a CommonJS file as node would, through its code cache when there is one
 * V8 accepts. Returns what happened to the cache: 'used', 'absent' or 'refused' (the last two
 * write one when the process exits, unless `write` is false).
 */
export function runWithCodeCache(file, { write = true } = {}) {
  const cacheFile = cacheFileFor(file);
  let stored;
  try {
    stored = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  const cachedData = stored && checked(stored);
  // As node's own loader wraps a CommonJS file (a leading #! line kept as a comment, so that
  // line numbers stay right).
  const source = readFileSync(file, 'utf8').replace(/^#!/, '//');
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const cache = !stored ? 'absent' : !cachedData || script.cachedDataRejected ? 'refused' : 'used';
  if (cache !== 'used' && write) {
    process.once('exit', () => {
      // Written whole under another name, then renamed: a process starting meanwhile reads
      // the old cache or the new one, never half of one. A folder we cannot write is no error.
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, withChecksum(script.createCachedData()));
        renameSync(tmp, cacheFile);
      } catch {
        rmSync(tmp, { force: true });
      }
    });
  }
  const module = { exports: {}, filename: file, id: '.', loaded: false, children: [], paths: [] };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return cache;
}

/**
 * V8 checks a cache's version, flags and source, but not its bytes (release builds skip the
 * checksum): a damaged cache crashed node. Each cache starts with the SHA-256 of the rest
 * (node:crypto is loaded by the index store anyway; ≈1 ms for the CLI's 430 KB).
 */
const DIGEST = 32;
const digest = (bytes) => createHash('sha256').update(bytes).digest();

function withChecksum(data) {
  return Buffer.concat([digest(data), data]);
}

/** The cache's bytes if its checksum holds, else undefined. */
export function checked(stored) {
  if (stored.length <= DIGEST) return undefined;
  const data = stored.subarray(DIGEST);
  return digest(data).equals(stored.subarray(0, DIGEST)) ? data : undefined;
}

/** Run the build in `dir`: V8's flags first (a cache records them), then its command line. */
export async function runBundle(dir) {
  await import(pathToFileURL(join(dir, 'v8-tuning.js')).href);
  return runWithCodeCache(join(dir, CLI_FILE));
}
