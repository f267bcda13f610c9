import { describe, expect, it } from 'vitest';
import { BuildPool } from '../../src/search/pool.js';
import { CORPUS } from '../helpers.js';

describe('the build pool', () => {
  it('answers a job, then refuses one sent to a thread that has stopped instead of leaving it waiting', async () => {
    const pool = new BuildPool(1);
    const records = await pool.runOn<{ file: string }[]>(0, { scan: { root: CORPUS, paths: [] } });
    expect(records).toEqual([]);
    await pool.close();
    await new Promise<void>((resolve) => setImmediate(resolve));
    await expect(pool.runOn(0, { scan: { root: CORPUS, paths: [] } })).rejects.toThrow(/stopped/);
  });
});
