import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { ROOT } from './helpers.js';

describe('secrets', () => {
  it('keeps .env out of git', () => {
    // check-ignore exits 0 when the path is ignored.
    expect(() => execFileSync('git', ['check-ignore', '-q', '.env'], { cwd: ROOT })).not.toThrow();
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
  });

  it('documents every configuration variable in .env.example', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const config = readConfig({});
    for (const name of Object.keys(config)) expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
    for (const name of ['DISCORD_TOKEN', 'DISCORD_CLIENT_ID', 'DISCORD_GUILD_ID', 'DISCORD_API_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL']) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  it('never echoes a value in a configuration error', () => {
    let message = '';
    try {
      readConfig({ DISCORD_TOKEN: 'tok-SECRET', ANTHROPIC_API_KEY: 'key-SECRET', ANTHROPIC_BASE_URL: 'not-a-url-SECRET', ANTHROPIC_TIMEOUT_MS: 'soon-SECRET' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/ANTHROPIC_BASE_URL/);
    expect(message).toMatch(/ANTHROPIC_TIMEOUT_MS/);
    expect(message).not.toContain('SECRET');
  });
});
