import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { startBotRuntime, type BotRuntime } from '../../src/discord/runtime.js';
import { createLogger } from '../../src/log.js';
import { corpusCopy, tempDir } from '../helpers.js';
import { startDiscordServer, type ApiObject, type DiscordTestServer, type RecordedCallback } from './server.js';

const APP_ID = '1100000000000000001';
const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const MEMBER = '1400000000000000001';
const MODERATOR = '1400000000000000002';
const OPERATOR_BY_ROLE = '1400000000000000003';
const OPERATOR_BY_ID = '1400000000000000004';
const ADMIN = '1400000000000000005';
const MOD_ROLE = '1500000000000000001';
const OP_ROLE = '1500000000000000002';
const ADMIN_ROLE = '1500000000000000003';
const TOKEN = 'fake-token-SECRET-1234567890';
const MANAGE_MESSAGES = (1n << 13n).toString();
const MANAGE_GUILD = (1n << 5n).toString();

let server: DiscordTestServer;
let runtime: BotRuntime;
let corpus: { dir: string; cleanup: () => Promise<void> };
let cache: { dir: string; cleanup: () => Promise<void> };
let logs = '';

beforeAll(async () => {
  corpus = await corpusCopy();
  cache = await tempDir('bot-cache-');
  server = await startDiscordServer({
    applicationId: APP_ID,
    botUser: { id: APP_ID, username: 'actu-bot' },
    defaultUser: { id: MEMBER, username: 'alice' },
    defaultWaitTimeoutMs: 5000,
    guilds: [
      {
        id: GUILD,
        name: 'Newsroom',
        // The owner holds every permission: not one of the members under test.
        ownerId: ADMIN,
        preferredLocale: 'fr',
        roles: [
          { id: MOD_ROLE, name: 'Moderator', permissions: MANAGE_MESSAGES },
          { id: OP_ROLE, name: 'Operator', permissions: '0' },
          { id: ADMIN_ROLE, name: 'Admin', permissions: MANAGE_GUILD },
        ],
        channels: [{ id: CHANNEL, name: 'general' }],
        members: [
          { user: { id: MEMBER, username: 'alice' } },
          { user: { id: MODERATOR, username: 'mona' }, roles: [MOD_ROLE] },
          { user: { id: OPERATOR_BY_ROLE, username: 'omar' }, roles: [OP_ROLE] },
          { user: { id: OPERATOR_BY_ID, username: 'olga' } },
          { user: { id: ADMIN, username: 'adam' }, roles: [ADMIN_ROLE] },
        ],
      },
    ],
  });
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) => (logs += d.toString()));
  const config = readConfig({
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: server.apiUrl,
    CORPUS_DIR: corpus.dir,
    CACHE_DIR: cache.dir,
    OPERATOR_USER_IDS: OPERATOR_BY_ID,
    OPERATOR_ROLE_IDS: OP_ROLE,
    ASK_RATE_LIMIT_COUNT: '1000',
    ASK_RATE_LIMIT_WINDOW_S: '60',
    LOG_LEVEL: 'info',
  });
  runtime = await startBotRuntime({ ...config, DISCORD_TOKEN: TOKEN }, createLogger('info', stream));
  await server.waitForReady();
  await server.waitFor(() => (runtime.client.guilds.cache.has(GUILD) ? true : undefined), { description: 'guild cached' });
});

afterAll(async () => {
  await runtime?.stop();
  await server?.close();
  await corpus?.cleanup();
  await cache?.cleanup();
});

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } };
const embedsOf = (c: RecordedCallback) => ((c.data?.embeds as Embed[] | undefined) ?? []);
const embedText = (c: RecordedCallback) => embedsOf(c).map((e) => [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text].join('\n')).join('\n') + String(c.data?.content ?? '');
const customIdsOf = (c: RecordedCallback) => ((c.data?.components as { components: { custom_id: string }[] }[] | undefined) ?? []).flatMap((r) => r.components.map((b) => b.custom_id));
const isEphemeral = (c: RecordedCallback) => ((Number(c.data?.flags ?? 0) & 64) === 64);

async function command(name: string, options: Record<string, string | boolean>, extra: { user?: string; locale?: string; permissions?: string; roles?: string[] } = {}) {
  const payload = server.slashCommand({
    name,
    options,
    user: extra.user ? { id: extra.user, username: `u${extra.user.slice(-1)}` } : undefined,
    locale: extra.locale ?? 'fr',
    guildId: GUILD,
    channelId: CHANNEL,
    ...(extra.permissions !== undefined ? { permissions: extra.permissions } : {}),
    ...(extra.roles ? { roles: extra.roles } : {}),
  });
  const sent = server.sendInteraction(payload);
  const callback = await server.waitForCallback(sent.id);
  return { sent, callback };
}

async function click(customId: string, message: string | undefined, user = MEMBER, locale = 'fr') {
  const sent = server.sendInteraction(server.button({ customId, ...(message ? { message } : {}), user: { id: user, username: 'x' }, locale, guildId: GUILD, channelId: CHANNEL }));
  return server.waitForCallback(sent.id);
}

describe('/ask', () => {
  it('answers a French question at once, in French, with the source, the date and buttons', async () => {
    const { callback } = await command('ask', { question: 'Quand la VoIP a-t-elle été rétablie ?' });
    expect(callback.type).toBe(4);
    expect(callback.elapsedMs).toBeLessThan(3000);
    const text = embedText(callback);
    expect(text).toContain('3 novembre 2016');
    expect(text).toContain('HuffPost Maroc');
    expect(embedsOf(callback)[0]!.footer?.text).toBe('Au 3 novembre 2016');
    expect(customIdsOf(callback).map((id) => id.split(':')[1])).toEqual(['orig', 'lang', 'vote', 'vote']);
    expect(callback.body.data).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(isEphemeral(callback)).toBe(false);
  });

  it('answers an English question in English, and follows the lang option', async () => {
    const en = await command('ask', { question: 'Why was VoIP blocked in Morocco?' }, { locale: 'en-US' });
    expect(embedText(en.callback)).toMatch(/licen[cs]es/);
    expect(embedsOf(en.callback)[0]!.footer?.text).toBe('As of November 3, 2016');
    const fr = await command('ask', { question: 'Why was VoIP blocked in Morocco?', lang: 'fr' }, { locale: 'en-US' });
    expect(embedText(fr.callback)).toMatch(/licences de télécommunications/);
  });

  it('says when the articles do not answer, and what they cover', async () => {
    const { callback } = await command('ask', { question: 'Qui a gagné la Coupe du monde 2018 ?' });
    expect(embedsOf(callback)[0]!.title).toBe('Pas de réponse dans les articles');
    expect(embedText(callback)).toContain('La VoIP (enfin) rétablie au Maroc');
  });

  it('answers privately when asked', async () => {
    const { callback } = await command('ask', { question: 'Qui dirige l\'ANRT par intérim ?', private: true });
    expect(isEphemeral(callback)).toBe(true);
  });

  it('pings no one when the question mentions @everyone, a user or a role', async () => {
    const { callback } = await command('ask', { question: '@everyone <@1400000000000000002> <@&1500000000000000001> quand la VoIP a-t-elle été rétablie ?' });
    expect(callback.body.data).toMatchObject({ allowed_mentions: { parse: [] } });
    const text = embedText(callback);
    expect(text).not.toMatch(/@everyone|<@\d|<@&\d/);
    expect(text).toContain('3 novembre 2016');
  });
});

describe('/ask buttons', () => {
  it('shows the original passage, switches the language for the asker, and counts feedback', async () => {
    const { sent, callback } = await command('ask', { question: 'When was VoIP restored?' }, { locale: 'en-US' });
    const [original, language, up] = customIdsOf(callback);
    const message = server.messages(sent.token)[0]!.id;

    const orig = await click(original!, message, MEMBER, 'en-US');
    expect(isEphemeral(orig)).toBe(true);
    expect(embedText(orig)).toContain('Jeudi 3 novembre, à quatre jours');

    const switched = await click(language!, message, MEMBER, 'en-US');
    expect(switched.type).toBe(7);
    expect(embedText(switched)).toContain('3 novembre 2016');

    const other = await click(language!, message, MODERATOR, 'en-US');
    expect(other.type).toBe(4);
    expect(isEphemeral(other)).toBe(true);

    const vote = await click(up!, message, MODERATOR, 'en-US');
    expect(isEphemeral(vote)).toBe(true);
    expect(String(vote.data?.content)).toContain('👍 1 · 👎 0');
    expect(logs).toMatch(/"msg":"feedback"/);
  });

  it('answers an unknown or expired button politely', async () => {
    const cb = await click('ask:vote:nope:up', undefined);
    expect(isEphemeral(cb)).toBe(true);
    expect(String(cb.data?.content)).toMatch(/trop ancienne/);
  });
});

describe('/summary', () => {
  it('posts a summary publicly for a moderator', async () => {
    const { callback } = await command('summary', { lang: 'en' }, { user: MODERATOR });
    expect(callback.type).toBe(4);
    expect(isEphemeral(callback)).toBe(false);
    const embed = embedsOf(callback)[0]!;
    expect(embed.title).toBe('VoIP (finally) restored in Morocco');
    expect(embed.description!.length).toBeGreaterThanOrEqual(200);
    expect(embed.description).toContain('COP22');
  });

  it('refuses a member, in their language, even when the payload grants the command', async () => {
    const fr = await command('summary', {}, { user: MEMBER, permissions: '0' });
    expect(isEphemeral(fr.callback)).toBe(true);
    expect(String(fr.callback.data?.content)).toMatch(/Réservé aux modérateurs/);
    const en = await command('summary', {}, { user: MEMBER, locale: 'en-GB', permissions: '0' });
    expect(String(en.callback.data?.content)).toMatch(/Moderators only/);
  });

  it('completes article names', async () => {
    const sent = server.sendInteraction(server.autocomplete({ name: 'summary', options: { article: 'voip' }, focused: 'article', user: { id: MODERATOR, username: 'mona' }, guildId: GUILD, channelId: CHANNEL }));
    const cb = await server.waitForCallback(sent.id);
    expect(cb.type).toBe(8);
    expect((cb.data?.choices as ApiObject[])[0]).toMatchObject({ value: 'voip-maroc-2016' });
  });
});

describe('/reload', () => {
  it('reloads for an operator by role, reporting the added article and the broken file', async () => {
    await writeFile(join(corpus.dir, 'nouvel-article.md'), '---\ntitle: La 5G arrive au Maroc\nlang: fr\npublished: 2030-01-02\n---\nLa 5G a été lancée au Maroc le 2 janvier 2030 par les trois opérateurs.\n');
    await writeFile(join(corpus.dir, 'casse.md'), '---\ntitle: [oops\n---\ntexte\n');
    const { sent, callback } = await command('reload', {}, { user: OPERATOR_BY_ROLE });
    expect(callback.type).toBe(5);
    expect(isEphemeral(callback)).toBe(true);
    const [original] = await server.waitForMessages(sent.token, (m) => m[0]?.revisions.some((r) => r.action === 'edit') ?? false);
    const text = JSON.stringify(original!.message.embeds);
    expect(text).toMatch(/2 articles/);
    expect(text).toContain('nouvel-article');
    expect(text).toContain('casse.md');
    const { callback: answer } = await command('ask', { question: 'Quand la 5G a-t-elle été lancée au Maroc ?' });
    expect(embedText(answer)).toContain('2 janvier 2030');
  });

  it('reloads for an operator by id and for a Manage Server admin', async () => {
    for (const user of [OPERATOR_BY_ID, ADMIN]) {
      const { sent, callback } = await command('reload', {}, { user });
      expect(callback.type).toBe(5);
      const [done] = await server.waitForMessages(sent.token, (m) => m[0]?.revisions.some((r) => r.action === 'edit') ?? false);
      expect(JSON.stringify(done!.message.embeds)).toMatch(/Aucun changement/);
    }
  });

  it('refuses members and moderators, even when the payload claims every permission is absent', async () => {
    for (const user of [MEMBER, MODERATOR]) {
      const { callback } = await command('reload', {}, { user });
      expect(isEphemeral(callback)).toBe(true);
      expect(String(callback.data?.content)).toMatch(/Réservé aux opérateurs/);
    }
  });
});

describe('safety', () => {
  it('never logs the token', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(TOKEN);
    expect(JSON.stringify(server.requests)).not.toContain(TOKEN);
  });
});
