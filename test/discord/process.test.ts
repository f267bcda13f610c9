import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_FLAGS } from '../../src/v8-tuning.js';
import { ROOT, tempDir } from '../helpers.js';
import { runCli } from '../cli/run-cli.js';
import { startDiscordServer, type DiscordTestServer } from './server.js';
import { APP_ID, GUILD, guildSetup, MEMBER, TOKEN } from './harness.js';

let server: DiscordTestServer;
let cache: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  server = await startDiscordServer({ applicationId: APP_ID, botUser: { id: APP_ID, username: 'actu-bot' }, defaultUser: { id: MEMBER, username: 'alice' }, guilds: [guildSetup()], defaultWaitTimeoutMs: 20_000 });
  cache = await tempDir('process-cache-');
});
afterAll(async () => {
  await server?.close();
  await cache?.cleanup();
});

/**
 * The bot's process from its TypeScript sources, and as `npm start` runs it: the compiled
 * script through bin/actu-qa.mjs (scripts/run-bundle.mjs), which requires discord.js and the
 * other packages where the sources import them.
 */
const ENTRIES: [string, string[]][] = [
  ['from the sources', ['--import', 'tsx', 'src/cli/main.ts', 'start']],
  ['compiled, as npm start runs it', [...PROCESS_FLAGS, 'bin/actu-qa.mjs', 'start']],
];

describe('npm start with a token', () => {
  it.each(ENTRIES)('connects through DISCORD_API_URL, answers, and stops cleanly on SIGTERM without logging the token (%s)', async (_, args) => {
    const child: ChildProcess = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: server.apiUrl, CACHE_DIR: cache.dir, CORPUS_DIR: '', LOG_LEVEL: 'info', ANTHROPIC_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await server.waitForReady({ timeoutMs: 20_000 });
      // The log line comes from the child, not the server: poll for it.
      for (let i = 0; i < 200 && !output.includes('connected to Discord'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain('connected to Discord');
      const sent = server.sendInteraction(server.slashCommand({ name: 'ask', options: { question: 'Quand la VoIP a-t-elle été rétablie ?' }, guildId: GUILD, locale: 'fr' }));
      const cb = await server.waitForCallback(sent.id, { timeoutMs: 10_000 });
      expect(JSON.stringify(cb.data)).toContain('3 novembre 2016');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toMatch(/"msg":"shutting down"/);
      expect(output).not.toContain(TOKEN);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('lists every invalid variable in one message and exits 1', async () => {
    const run = await runCli(['start'], {
      cacheDir: cache.dir,
      env: { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: 'not a url', OPERATOR_USER_IDS: 'alice', ASK_RATE_LIMIT_COUNT: '-3', LOG_LEVEL: 'loud' },
    });
    expect(run.code).toBe(1);
    for (const name of ['DISCORD_API_URL', 'OPERATOR_USER_IDS', 'ASK_RATE_LIMIT_COUNT', 'LOG_LEVEL']) expect(run.stderr).toContain(name);
    expect(run.stderr).not.toContain(TOKEN);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
