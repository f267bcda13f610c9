import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Events, GatewayIntentBits, ShardClientUtil } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';
import { renderReload } from '../../src/discord/render.js';
import { fetchGatewayBot } from '../../src/discord/sharding.js';
import { PROCESS_FLAGS } from '../../src/v8-tuning.js';
import type { ReloadReport } from '../../src/reloader.js';
import { corpusCopy, ROOT, tempDir } from '../helpers.js';
import { APP_ID, CHANNEL, embedText, guildSetup, MEMBER, OPERATOR_BY_ID, TOKEN } from './harness.js';
import { shardOfGuild, startDiscordServer, type DiscordTestServer, type RecordedCallback } from './server.js';

/** Two servers that Discord routes to different shards out of two: `(id >> 22) % 2`. */
const GUILD_ON_0 = '1200000000004194304';
const GUILD_ON_1 = '1200000000000000001';
const CHANNEL_ON_0 = '1300000000000000002';

describe('DISCORD_SHARDS', () => {
  it('is a positive number of shards or "auto", and unset by default', () => {
    expect(readConfig({}).DISCORD_SHARDS).toBeUndefined();
    expect(readConfig({ DISCORD_SHARDS: '' }).DISCORD_SHARDS).toBeUndefined();
    expect(readConfig({ DISCORD_SHARDS: '4' }).DISCORD_SHARDS).toBe(4);
    expect(readConfig({ DISCORD_SHARDS: 'auto' }).DISCORD_SHARDS).toBe('auto');
    for (const bad of ['0', '-2', '1.5', 'two', 'AUTO ', '100000']) {
      expect(() => readConfig({ DISCORD_SHARDS: bad }), bad).toThrow(ConfigError);
    }
    try {
      readConfig({ DISCORD_SHARDS: 'two' });
    } catch (err) {
      expect((err as ConfigError).problems).toEqual(['DISCORD_SHARDS: must be a positive number of shards or "auto"']);
    }
  });
});

describe('the /reload report across shards', () => {
  const report: ReloadReport = { swapped: true, stats: { articles: 2, passages: 20, translations: 1, errors: [], fromCache: false, ms: 12 }, added: ['nouvel-article'], removed: [], changed: [] };

  it('says on how many shards it went through', () => {
    const payload = renderReload(report, 'en', { total: 2, shards: [{ shard: 0, status: 'reloaded' }, { shard: 1, status: 'reloaded' }] });
    expect(payload.embeds[0]!.description).toContain('Reloaded on 2/2 shards.');
  });

  it('names each shard that did not reload, and why, in the user’s language', () => {
    const sharded = {
      total: 4,
      shards: [
        { shard: 0, status: 'reloaded' as const },
        { shard: 1, status: 'failed' as const, error: 'EACCES' },
        { shard: 2, status: 'down' as const },
        { shard: 3, status: 'timeout' as const },
      ],
    };
    const en = renderReload(report, 'en', sharded).embeds[0]!;
    expect(en.description).toContain('Reloaded on 1/4 shards.');
    expect(en.description).toContain('Shard 1: reload failed (EACCES).');
    expect(en.description).toContain('Shard 2: not running');
    expect(en.description).toContain('Shard 3: no answer in time.');
    expect(en.description).not.toContain('Shard 0');
    const fr = renderReload(report, 'fr', sharded).embeds[0]!;
    expect(fr.description).toContain('Rechargé sur 1/4 shards.');
    expect(fr.description).toContain('Shard 1 : échec du rechargement (EACCES).');
    // Not every shard serves the new corpus: the report is coloured as a failure.
    expect(fr.color).not.toBe(renderReload(report, 'fr', { total: 1, shards: [{ shard: 0, status: 'reloaded' }] }).embeds[0]!.color);
  });
});

/** Wait until `done()` holds (what a client process received is no server state to wait on). */
async function poll(done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the Discord test server with two shards connected', () => {
  let server: DiscordTestServer;
  const clients: Client[] = [];
  const heard: Array<{ shard: number; t: string; guild?: string }> = [];

  beforeAll(async () => {
    server = await startDiscordServer({
      applicationId: APP_ID,
      botUser: { id: APP_ID, username: 'actu-bot' },
      recommendedShards: 2,
      maxConcurrency: 16,
      guilds: [{ id: GUILD_ON_0, name: 'Rédaction' }, { id: GUILD_ON_1, name: 'Newsroom' }],
    });
    for (const shard of [0, 1]) {
      const client = new Client({ intents: [GatewayIntentBits.Guilds], shards: [shard], shardCount: 2, rest: { api: server.apiUrl } });
      client.on(Events.Raw, (packet: { t?: string; d?: { guild_id?: string; id?: string } }) => {
        if (packet.t === 'INTERACTION_CREATE' || packet.t === 'GUILD_UPDATE') heard.push({ shard, t: packet.t, ...(packet.d?.guild_id ?? (packet.t === 'GUILD_UPDATE' ? packet.d?.id : undefined) ? { guild: packet.d?.guild_id ?? packet.d?.id } : {}) });
      });
      clients.push(client);
      await client.login(TOKEN);
    }
    await server.waitFor(() => (clients.every((c) => c.isReady() && c.guilds.cache.size > 0) ? true : undefined), { description: 'both clients ready' });
  });
  afterAll(async () => {
    for (const c of clients) await c.destroy();
    await server?.close();
  });

  it('reports the recommended shard count and identify concurrency in GET /gateway/bot', async () => {
    expect(await fetchGatewayBot({ DISCORD_API_URL: server.apiUrl, DISCORD_TOKEN: TOKEN })).toMatchObject({ shards: 2, maxConcurrency: 16 });
  });

  it('gives each shard only its own servers, in READY and GUILD_CREATE', () => {
    expect(server.gateway.sessions.map((s) => s.shard).sort()).toEqual([[0, 2], [1, 2]]);
    expect([...clients[0]!.guilds.cache.keys()]).toEqual([GUILD_ON_0]);
    expect([...clients[1]!.guilds.cache.keys()]).toEqual([GUILD_ON_1]);
  });

  it('sends a server’s interactions and events to its shard only, and direct messages to shard 0', async () => {
    heard.length = 0;
    for (const guildId of [GUILD_ON_1, GUILD_ON_0, null]) {
      const sent = server.sendInteraction(server.slashCommand({ name: 'ask', options: { question: 'q' }, guildId }));
      await poll(() => heard.some((h) => h.t === 'INTERACTION_CREATE' && (h.guild ?? null) === guildId), `interaction ${sent.id} heard`);
    }
    server.dispatchEvent('GUILD_UPDATE', { ...server.guilds.find((g) => g.id === GUILD_ON_1), name: 'Newsroom 2' });
    await poll(() => clients[1]!.guilds.cache.get(GUILD_ON_1)?.name === 'Newsroom 2', 'guild update on shard 1');
    // Whatever went to the wrong shard would have arrived by now.
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toEqual([
      { shard: 1, t: 'INTERACTION_CREATE', guild: GUILD_ON_1 },
      { shard: 0, t: 'INTERACTION_CREATE', guild: GUILD_ON_0 },
      { shard: 0, t: 'INTERACTION_CREATE' },
      { shard: 1, t: 'GUILD_UPDATE', guild: GUILD_ON_1 },
    ]);
  });
});

type LogLine = { msg: string; shard?: number; role?: string; fromCache?: boolean; pid?: number; [key: string]: unknown };

describe('npm start with DISCORD_SHARDS=auto: the ShardingManager and two shard processes', () => {
  let server: DiscordTestServer;
  let corpus: { dir: string; cleanup: () => Promise<void> };
  let cache: { dir: string; cleanup: () => Promise<void> };
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;

  const logLines = (): LogLine[] =>
    output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as LogLine];
        } catch {
          return [];
        }
      });
  const waitForLog = async (predicate: (line: LogLine) => boolean, what: string, timeoutMs = 30_000): Promise<LogLine> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = logLines().find(predicate);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no log line: ${what}\n${output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const ask = async (guildId: string, channelId: string, question: string, user = MEMBER): Promise<RecordedCallback> => {
    const sent = server.sendInteraction(server.slashCommand({ name: 'ask', options: { question }, guildId, channelId, user: { id: user, username: 'u' }, locale: 'fr' }));
    return server.waitForCallback(sent.id, { timeoutMs: 15_000 });
  };
  const cacheFiles = async () => {
    const names = (await readdir(cache.dir, { recursive: true })) as string[];
    const files = await Promise.all(names.map(async (name) => ({ name, info: await stat(join(cache.dir, name)) })));
    return files.filter((f) => f.info.isFile()).map((f) => ({ name: f.name, mtimeMs: f.info.mtimeMs }));
  };
  const shardPids = (): number[] => logLines().filter((l) => l.msg === 'shard process started').map((l) => l.pid!);

  beforeAll(async () => {
    server = await startDiscordServer({
      applicationId: APP_ID,
      botUser: { id: APP_ID, username: 'actu-bot' },
      defaultUser: { id: MEMBER, username: 'alice' },
      defaultWaitTimeoutMs: 20_000,
      // What Discord says a bot in this many servers needs, and a large bot's identify concurrency.
      recommendedShards: 2,
      maxConcurrency: 16,
      guilds: [
        { ...guildSetup(), id: GUILD_ON_0, name: 'Rédaction', channels: [{ id: CHANNEL_ON_0, name: 'general' }] },
        { ...guildSetup(), id: GUILD_ON_1, name: 'Newsroom' },
      ],
    });
    corpus = await corpusCopy();
    cache = await tempDir('shard-cache-');
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_URL: server.apiUrl,
        DISCORD_SHARDS: 'auto',
        CORPUS_DIR: corpus.dir,
        CACHE_DIR: cache.dir,
        OPERATOR_USER_IDS: OPERATOR_BY_ID,
        OPERATOR_ROLE_IDS: '',
        ASK_RATE_LIMIT_COUNT: '1000',
        LOG_LEVEL: 'info',
        ANTHROPIC_API_KEY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    await waitForLog((l) => l.msg === 'all shards ready', 'all shards ready', 60_000);
  }, 90_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    for (const pid of shardPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await server?.close();
    await corpus?.cleanup();
    await cache?.cleanup();
  });

  it('routes the two servers to different shards, as Discord does', () => {
    expect(shardOfGuild(GUILD_ON_0, 2)).toBe(0);
    expect(shardOfGuild(GUILD_ON_1, 2)).toBe(1);
    expect(ShardClientUtil.shardIdForGuildId(GUILD_ON_0, 2)).toBe(0);
    expect(ShardClientUtil.shardIdForGuildId(GUILD_ON_1, 2)).toBe(1);
  });

  it('starts one process per shard, each identifying as its shard, and each answers /ask in its own server', async () => {
    expect(logLines().find((l) => l.msg === 'starting shards')).toMatchObject({ shards: 2, configured: 'auto', recommended: 2 });
    expect(server.gateway.identifies.map((i) => i.shard).sort()).toEqual([[0, 2], [1, 2]]);
    expect(new Set(shardPids()).size).toBe(2);
    expect(shardPids()).not.toContain(child.pid);
    // Each shard runs with the process flags the manager was started with (v8-tuning.ts).
    if (existsSync('/proc')) {
      for (const pid of shardPids()) {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        for (const flag of PROCESS_FLAGS) expect(args).toContain(flag);
      }
    }
    // Each shard process logs that it connected, with its own shard id.
    await waitForLog((l) => l.msg === 'connected to Discord' && l.shard === 0, 'shard 0 connected');
    await waitForLog((l) => l.msg === 'connected to Discord' && l.shard === 1, 'shard 1 connected');
    expect(logLines().filter((l) => l.msg === 'connected to Discord').map((l) => l.guilds)).toEqual([1, 1]);
    // The server sends each interaction only to the shard that owns its server: that shard answers.
    const asksBy = (shard: number) => logLines().filter((l) => l.msg === 'ask' && l.shard === shard).length;
    for (const [guild, channel, shard] of [[GUILD_ON_0, CHANNEL_ON_0, 0], [GUILD_ON_1, CHANNEL, 1]] as const) {
      const before = [asksBy(0), asksBy(1)];
      const cb = await ask(guild, channel, 'Quand la VoIP a-t-elle été rétablie ?');
      expect(cb.type).toBe(4);
      expect(embedText(cb)).toContain('3 novembre 2016');
      await waitForLog(() => asksBy(shard) === before[shard]! + 1, `the ask logged by shard ${shard}`);
      expect(asksBy(1 - shard)).toBe(before[1 - shard]);
    }
  });

  it('builds the index once, in the manager, and the shards load it from the cache', async () => {
    const manager = logLines().filter((l) => l.msg === 'index cache ready for the shards');
    expect(manager).toHaveLength(1);
    expect(manager[0]).toMatchObject({ role: 'manager', fromCache: false, articles: 1 });
    const loaded = logLines().filter((l) => l.msg === 'corpus loaded');
    expect(loaded.map((l) => l.shard).sort()).toEqual([0, 1]);
    for (const line of loaded) expect(line, `shard ${line.shard}`).toMatchObject({ fromCache: true, articles: 1 });
    // Every index segment was written by the manager, before it said so: no shard built one.
    // (A shard may refresh the manifest: files written within 2 s of the manager's scan are
    // read again rather than trusted, and the manifest then records that they were.)
    const segments = (await cacheFiles()).filter((f) => f.name.startsWith('segment-'));
    expect(segments.length).toBeGreaterThan(0);
    for (const f of segments) expect(f.mtimeMs, f.name).toBeLessThanOrEqual(manager[0]!.time as number);
  });

  it('a /reload on shard 0 reloads shard 1 too, which finds the new index in the cache, and the reply reports both shards', async () => {
    const question = 'Quand la 5G a-t-elle été lancée au Maroc ?';
    const before = await ask(GUILD_ON_1, CHANNEL, question);
    expect(embedText(before)).toContain('Pas de réponse dans les articles');

    await writeFile(join(corpus.dir, 'nouvel-article.md'), '---\ntitle: La 5G arrive au Maroc\nlang: fr\npublished: 2030-01-02\n---\nLa 5G a été lancée au Maroc le 2 janvier 2030 par les trois opérateurs.\n');
    const sent = server.sendInteraction(server.slashCommand({ name: 'reload', options: {}, guildId: GUILD_ON_0, channelId: CHANNEL_ON_0, user: { id: OPERATOR_BY_ID, username: 'olga' }, locale: 'fr' }));
    expect((await server.waitForCallback(sent.id)).type).toBe(5);
    const [reply] = await server.waitForMessages(sent.token, (m) => m[0]?.revisions.some((r) => r.action === 'edit') ?? false, { timeoutMs: 30_000 });
    const text = JSON.stringify(reply!.message.embeds);
    expect(text).toContain('Rechargé sur 2/2 shards.');
    expect(text).toContain('nouvel-article');
    expect(text).toMatch(/2 articles/);

    // Shard 0 built the new index and wrote it; shard 1, asked through the manager, read it.
    expect(logLines().find((l) => l.msg === 'reload' && l.shard === 0)).toMatchObject({ swapped: true, fromCache: false });
    expect(await waitForLog((l) => l.msg === 'reload asked by another shard', 'shard 1 reloaded')).toMatchObject({ shard: 1, from: 0, swapped: true, fromCache: true, articles: 2 });
    expect(logLines().filter((l) => l.msg === 'reload asked by another shard')).toHaveLength(1);

    const after = await ask(GUILD_ON_1, CHANNEL, question);
    expect(embedText(after)).toContain('2 janvier 2030');
  });

  it('stops every shard process on SIGTERM, and never logs the token', async () => {
    const pids = shardPids();
    expect(pids).toHaveLength(2);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logLines().filter((l) => l.msg === 'shard shutting down').map((l) => l.shard).sort()).toEqual([0, 1]);
    for (const pid of pids) expect(() => process.kill(pid, 0), `shard pid ${pid}`).toThrow(/ESRCH/);
    expect(logLines().some((l) => l.msg === 'shard process exited')).toBe(false);
    expect(output).not.toContain(TOKEN);
    expect(JSON.stringify(server.gateway.received)).not.toContain(TOKEN);
  });
});
