import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { installProcessGuards } from '../src/process-guards.js';

describe('process guards', () => {
  it('logs unhandled rejections and uncaught exceptions instead of staying silent', () => {
    let logs = '';
    const stream = new PassThrough();
    stream.on('data', (d: Buffer) => (logs += d.toString()));
    const remove = installProcessGuards(createLogger('info', stream));
    try {
      process.emit('unhandledRejection', new Error('Discord said 500'), Promise.resolve());
      process.emit('uncaughtException', new Error('boom'));
    } finally {
      remove();
    }
    expect(logs).toMatch(/"msg":"unhandled promise rejection".*Discord said 500|Discord said 500.*"msg":"unhandled promise rejection"/);
    expect(logs).toMatch(/"msg":"uncaught exception"/);
  });
});
