#!/usr/bin/env node
// The command line (`npm run ask`, `npm start`, ...): runs src/cli/main.ts from its compiled
// bundle in dist/ (through V8's code cache), compiling it first (≈0.3 s) when a source
// changed since the last build, so an edit never runs stale code. Without esbuild (a failed
// optional install), it runs the sources through tsx instead, which is slower to start but
// the same program.
import { build, freshBuild } from '../scripts/build.mjs';
import { runBundle } from '../scripts/run-bundle.mjs';

let dir = freshBuild();
if (!dir) {
  try {
    dir = await build();
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND') {
      console.error(`error: could not compile the sources:\n${err?.message ?? err}`);
      process.exit(1);
    }
  }
}
if (dir) {
  // With V8's code cache for it (scripts/run-bundle.mjs).
  await runBundle(dir);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
