import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for this program, set by each entry point (CLI, shard, bench measurement)
 * before any of its code gets hot.
 *
 * Smaller inlining budget: V8's optimizing compiler inlined whole call trees into the
 * retrieval stages, and compiled them on a background thread for half a second of a fresh
 * process's first questions. On a two-core machine that thread takes the second core, and
 * the questions run unoptimized until their code arrives. With the budget at 200 bytes of
 * bytecode per function (default 920), a new CLI process's first 69 questions went from
 * 8.5 to 7.3–7.7 ms each, a 10,000-article build from 8.6–9.2 to 8.0–8.4 s, and a warm
 * process's questions stayed as fast (docs/PERFORMANCE.md).
 */
export const V8_FLAGS: readonly string[] = ['--max-inlined-bytecode-size-cumulative=200'];

/**
 * Node options that size the process itself, so they cannot be set from here: package.json's
 * scripts that answer questions give them to node, the shard manager to its shards, and the
 * bench to its measurements (tests check the scripts and the shards).
 *
 * One V8 platform thread instead of four: those threads compile optimized code and help the
 * garbage collector, and on a two-core machine four of them took the core the questions run
 * on while a new process warms up. A new CLI process's start went 80–100 ms faster, and its
 * first 22 questions from 9.3–9.8 to 7.7–7.9 ms each (docs/PERFORMANCE.md).
 *
 * `gc()` for `collectYoungGeneration` below: it does nothing unless called.
 */
export const PROCESS_FLAGS: readonly string[] = ['--v8-pool-size=1', '--expose-gc'];

for (const flag of V8_FLAGS) setFlagsFromString(flag);

/**
 * Collect the young generation now, where a pause costs no one: after a batch's warm-up,
 * whose garbage and new caches fill most of it. Otherwise the first questions pay for it: a
 * collection there took 6–12 ms, on one of a new process's first 22 questions (its live
 * objects are copied, and the warm-up leaves many). Returns false, having done nothing, when
 * node was started without `--expose-gc` (PROCESS_FLAGS).
 */
export function collectYoungGeneration(): boolean {
  const gc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
  if (typeof gc !== 'function') return false;
  gc({ type: 'minor' });
  return true;
}
