import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectYoungGeneration, PROCESS_FLAGS, V8_FLAGS } from '../src/v8-tuning.js';
import { ROOT } from './helpers.js';

describe('V8 tuning', () => {
  it('names flags this Node has (V8 ignores an unknown one without a word)', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(V8_FLAGS.length).toBeGreaterThan(0);
    for (const flag of V8_FLAGS) {
      const name = flag.replace(/^--(?:no-)?/, '').replace(/=.*$/, '');
      expect(options).toContain(`--${name} `);
    }
  });

  it('gives the process flags to every script that answers questions, and node takes them', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const name of ['start', 'ask', 'summary', 'console', 'eval']) {
      expect(scripts[name]).toMatch(/^node .*bin\/actu-qa\.mjs/);
      for (const flag of PROCESS_FLAGS) expect(scripts[name]!.split(' ')).toContain(flag);
    }
    // An option node does not know stops it at once: this one starts and exits cleanly.
    expect(execFileSync(process.execPath, [...PROCESS_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })).toBe('ok');
    expect(() => execFileSync(process.execPath, ['--no-such-node-option-here', '-e', ''], { stdio: 'ignore' })).toThrow();
  });

  it('collects the young generation when node has --expose-gc, and does nothing without it', () => {
    // This test's own process has no gc(): nothing happens.
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    expect(collectYoungGeneration()).toBe(false);
    // A process with the scripts' flags: a young-generation collection is traced.
    const code = `import('./src/v8-tuning.ts').then(({ collectYoungGeneration }) => { const done = collectYoungGeneration(); console.log('done=' + done); })`;
    const out = execFileSync(process.execPath, [...PROCESS_FLAGS, '--trace-gc', '--import', 'tsx', '-e', code], { cwd: ROOT, encoding: 'utf8' });
    const lines = out.split('\n');
    const done = lines.findIndex((l) => l === 'done=true');
    expect(done).toBeGreaterThan(0);
    // The collection traced just before it returned is a scavenge (the young generation only).
    expect(lines.slice(0, done).at(-1)).toMatch(/Scavenge/);
  });
});
