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

for (const flag of V8_FLAGS) setFlagsFromString(flag);
