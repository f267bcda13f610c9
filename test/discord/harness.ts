import { PassThrough } from 'node:stream';
import { readConfig } from '../../src/config.js';
import { startBotRuntime, type BotRuntime } from '../../src/discord/runtime.js';
import { createLogger } from '../../src/log.js';
import { corpusCopy, tempDir } from '../helpers.js';
import { startDiscordServer, type DiscordTestServer, type RecordedCallback, type SentInteraction } from './server.js';

export const APP_ID = '1100000000000000001';
export const GUILD = '1200000000000000001';
export const CHANNEL = '1300000000000000001';
export const MEMBER = '1400000000000000001';
export const MODERATOR = '1400000000000000002';
export const OPERATOR_BY_ROLE = '1400000000000000003';
export const OPERATOR_BY_ID = '1400000000000000004';
export const ADMIN = '1400000000000000005';
export const MOD_ROLE = '1500000000000000001';
export const OP_ROLE = '1500000000000000002';
export const ADMIN_ROLE = '1500000000000000003';
export const TOKEN = 'fake-token-SECRET-1234567890';
const MANAGE_MESSAGES = (1n << 13n).toString();
const MANAGE_GUILD = (1n << 5n).toString();

/** A guild with a member, a moderator, operators by role and by id, and an admin (the owner is someone else). */
export function guildSetup() {
  return {
    id: GUILD,
    name: 'Newsroom',
    // The owner holds every permission: not one of the members under test.
    ownerId: '1400000000000000099',
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
      { user: { id: '1400000000000000099', username: 'owner' } },
    ],
  };
}

export interface Harness {
  server: DiscordTestServer;
  runtime: BotRuntime;
  corpus: string;
  logs(): string;
  command(name: string, options: Record<string, string | boolean>, extra?: { user?: string; locale?: string; permissions?: string; roles?: string[] }): Promise<{ sent: SentInteraction; callback: RecordedCallback }>;
  click(customId: string, message: string | undefined, user?: string, locale?: string): Promise<RecordedCallback>;
  cleanup(): Promise<void>;
}

/** The real bot (discord.js, the engine on a copy of the corpus) logged into the local Discord server. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const corpus = await corpusCopy();
  const cache = await tempDir('bot-cache-');
  const server = await startDiscordServer({
    applicationId: APP_ID,
    botUser: { id: APP_ID, username: 'actu-bot' },
    defaultUser: { id: MEMBER, username: 'alice' },
    defaultWaitTimeoutMs: 5000,
    guilds: [guildSetup()],
  });
  let logs = '';
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
    ...env,
  });
  const runtime = await startBotRuntime({ ...config, DISCORD_TOKEN: TOKEN }, createLogger('info', stream));
  await server.waitForReady();
  await server.waitFor(() => (runtime.client.guilds.cache.has(GUILD) ? true : undefined), { description: 'guild cached' });
  return {
    server,
    runtime,
    corpus: corpus.dir,
    logs: () => logs,
    async command(name, options, extra = {}) {
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
      return { sent, callback: await server.waitForCallback(sent.id) };
    },
    async click(customId, message, user = MEMBER, locale = 'fr') {
      const sent = server.sendInteraction(server.button({ customId, ...(message ? { message } : {}), user: { id: user, username: 'x' }, locale, guildId: GUILD, channelId: CHANNEL }));
      return server.waitForCallback(sent.id);
    },
    async cleanup() {
      await runtime.stop();
      await server.close();
      await corpus.cleanup();
      await cache.cleanup();
    },
  };
}

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } };
export const embedsOf = (c: RecordedCallback) => (c.data?.embeds as Embed[] | undefined) ?? [];
export const embedText = (c: RecordedCallback) =>
  embedsOf(c).map((e) => [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text].join('\n')).join('\n') + String(c.data?.content ?? '');
export const customIdsOf = (c: RecordedCallback) =>
  ((c.data?.components as { components: { custom_id: string }[] }[] | undefined) ?? []).flatMap((r) => r.components.map((b) => b.custom_id));
export const isEphemeral = (c: RecordedCallback) => (Number(c.data?.flags ?? 0) & 64) === 64;
