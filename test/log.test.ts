import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes messages at its level and above, as JSON, secrets redacted', () => {
    const { stream, lines } = capture();
    const log = createLogger('info', stream);
    expect(log.level).toBe('info');
    expect(log.isLevelEnabled('debug')).toBe(false);
    expect(log.isLevelEnabled('warn')).toBe(true);
    log.debug('not written');
    log.info({ apiKey: 'sk-secret', file: 'a.md' }, 'written');
    log.child({ shard: 1 }).warn({ config: { DISCORD_TOKEN: 'tok' } }, 'from a child');
    const out = lines();
    expect(out.map((l) => l.msg)).toEqual(['written', 'from a child']);
    expect(out[0]).toMatchObject({ level: 30, apiKey: '[redacted]', file: 'a.md' });
    expect(out[1]).toMatchObject({ level: 40, shard: 1, config: { DISCORD_TOKEN: '[redacted]' } });
  });

  it('loads pino only when a message is written at its level', () => {
    const script = `
      import { createRequire } from 'node:module';
      const { createLogger } = await import('./src/log.ts');
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/pino/'));
      const log = createLogger('warn', process.stdout);
      log.info('under the level');
      log.debug({ a: 1 }, 'under the level');
      const before = loaded();
      log.warn('at the level');
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const last = out.trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toEqual({ before: false, after: true });
    expect(out).toContain('"msg":"at the level"');
    expect(out).not.toContain('under the level');
  });
});
