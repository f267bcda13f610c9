import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { runLoad } from './load.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.cleanup();
});

// The full run (50/s for 60 s) is `npm run load`, with its figures in docs/RELIABILITY.md.
// Here a short burst checks the functional bound only: every interaction acknowledged inside
// Discord's 3 s deadline, none lost, none failed.
describe('load', () => {
  it('acknowledges every one of 50 questions a second for 4 s, inside the deadline', async () => {
    const r = await runLoad({ server: h.server, rss: () => process.memoryUsage().rss / 2 ** 20, failures: () => h.logs().match(/"msg":"interaction failed"/g)?.length ?? 0 }, 50, 4);
    expect(r.sent).toBe(200);
    expect(r.answered).toBe(200);
    expect(r.errors).toBe(0);
    expect(r.ackMs.max).toBeLessThan(3000);
  }, 60_000);
});
