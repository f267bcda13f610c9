import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { V8_FLAGS } from '../src/v8-tuning.js';

describe('V8 tuning', () => {
  it('names flags this Node has (V8 ignores an unknown one without a word)', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(V8_FLAGS.length).toBeGreaterThan(0);
    for (const flag of V8_FLAGS) {
      const name = flag.replace(/^--(?:no-)?/, '').replace(/=.*$/, '');
      expect(options).toContain(`--${name} `);
    }
  });
});
