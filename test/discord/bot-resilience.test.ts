import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import { deployCommands } from '../../src/discord/deploy.js';
import { ADMIN, APP_ID, GUILD, MEMBER, MODERATOR, OPERATOR_BY_ROLE, TOKEN, embedText, isEphemeral, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ASK_RATE_LIMIT_COUNT: '2', ASK_RATE_LIMIT_WINDOW_S: '60' });
});
afterAll(async () => {
  await h?.cleanup();
});

describe('rate limit', () => {
  it('tells a user who asks too often when to try again, without touching other users', async () => {
    for (let i = 0; i < 2; i++) expect((await h.command('ask', { question: 'Quand la VoIP a-t-elle été rétablie ?' }, { user: MEMBER })).callback.type).toBe(4);
    const limited = await h.command('ask', { question: 'Quand la VoIP a-t-elle été rétablie ?' }, { user: MEMBER });
    expect(isEphemeral(limited.callback)).toBe(true);
    expect(String(limited.callback.data?.content)).toMatch(/réessayez dans \d+ s/);
    const other = await h.command('ask', { question: 'When was VoIP restored?' }, { user: MODERATOR, locale: 'en-US' });
    expect(embedText(other.callback)).toContain('November 3, 2016');
  });
});

describe('Discord failures', () => {
  it('keeps running when Discord refuses a reply, and answers the next question', async () => {
    // discord.js retries a 5xx three times: four failures make the reply itself fail.
    h.server.failNext({ method: 'POST', pathPattern: /\/interactions\/.*\/callback/, status: 500, times: 4 });
    const sent = h.server.sendInteraction(h.server.slashCommand({ name: 'ask', options: { question: 'Qui dirige l\'ANRT par intérim ?' }, user: { id: OPERATOR_BY_ROLE, username: 'o' }, guildId: GUILD }));
    await h.server.waitFor(() => (h.logs().includes('interaction failed') && h.logs().includes(sent.id) ? true : undefined), { description: 'failure logged', timeoutMs: 15_000 });
    const next = await h.command('ask', { question: 'Qui dirige l\'ANRT par intérim ?' }, { user: ADMIN });
    expect(embedText(next.callback)).toContain('Azelarab Hassibi');
  }, 30_000);

  it('waits out a 429 on a reply, as Discord asks, and answers', async () => {
    h.server.failNext({ method: 'POST', pathPattern: /\/interactions\/.*\/callback/, status: 429, times: 1, headers: { 'retry-after': '0.2', 'x-ratelimit-scope': 'user' }, body: { message: 'You are being rate limited.', retry_after: 0.2, global: false } });
    const { callback } = await h.command('ask', { question: 'Quand la VoIP a-t-elle été rétablie ?' }, { user: '1400000000000000077' });
    expect(callback.type).toBe(4);
    expect(embedText(callback)).toContain('3 novembre 2016');
  });

  it('waits out a 429 on the edit that finishes a reload, and the report arrives', async () => {
    h.server.failNext({ method: 'PATCH', pathPattern: /\/webhooks\/.*\/messages\/@original/, status: 429, times: 1, headers: { 'retry-after': '0.2' }, body: { message: 'You are being rate limited.', retry_after: 0.2, global: false } });
    const { sent } = await h.command('reload', {}, { user: '1400000000000000005' });
    const [done] = await h.server.waitForMessages(sent.token, (m) => m[0]?.revisions.some((r) => r.action === 'edit') ?? false, { timeoutMs: 10_000 });
    expect(JSON.stringify(done!.message.embeds)).toMatch(/Corpus rechargé/);
  });

  it('survives 500s on the edit that finishes a reload, logs it, and keeps answering', async () => {
    h.server.failNext({ method: 'PATCH', pathPattern: /\/webhooks\/.*\/messages\/@original/, status: 500, times: 8 });
    const { sent, callback } = await h.command('reload', {}, { user: '1400000000000000005' });
    expect(callback.type).toBe(5);
    await h.server.waitFor(() => (h.logs().includes(sent.id) && h.logs().includes('interaction failed') ? true : undefined), { timeoutMs: 20_000, description: 'failure logged' });
    const next = await h.command('ask', { question: 'Who replaced the director general of the ANRT?' }, { user: '1400000000000000066', locale: 'en-US' });
    expect(embedText(next.callback)).toContain('Azelarab Hassibi');
  }, 30_000);

  it('answers an unknown command with an ephemeral error in the user\'s language', async () => {
    const sent = h.server.sendInteraction(h.server.slashCommand({ name: 'nope', options: {}, locale: 'en-US', guildId: GUILD }));
    const cb = await h.server.waitForCallback(sent.id);
    expect(isEphemeral(cb)).toBe(true);
    expect(String(cb.data?.content)).toContain(`reference: ${sent.id}`);
  });
});

describe('deploy-commands', () => {
  it('registers the commands in a guild and globally, idempotently, through DISCORD_API_URL', async () => {
    const options = { token: TOKEN, applicationId: APP_ID, apiUrl: h.server.apiUrl };
    expect(await deployCommands(loadCommands().values(), { ...options, guildId: GUILD })).toEqual({ count: 3, scope: `guild ${GUILD}` });
    expect(await deployCommands(loadCommands().values(), { ...options, guildId: GUILD })).toEqual({ count: 3, scope: `guild ${GUILD}` });
    expect(h.server.commands(GUILD).map((c) => c.name).sort()).toEqual(['ask', 'reload', 'summary']);
    expect((await deployCommands(loadCommands().values(), options)).scope).toBe('global');
    expect(h.server.commands().map((c) => c.name).sort()).toEqual(['ask', 'reload', 'summary']);
    const summary = h.server.commands(GUILD).find((c) => c.name === 'summary')!;
    expect(summary.name_localizations).toMatchObject({ fr: 'resume' });
  });
});
