import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/discord/limits.js';
import { hostileSample } from '../hostile/arbitraries.js';
import { ADMIN, GUILD, MEMBER, MODERATOR, OP_ROLE, OPERATOR_BY_ID, OPERATOR_BY_ROLE, embedText, isEphemeral, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.cleanup();
});

const MENTION = /@everyone|@here|<@[!&]?\d|<#\d/;

describe('hostile questions through the bot', () => {
  it('answers 80 hostile questions, each acknowledged, within limits, pinging no one', async () => {
    for (const q of hostileSample(80, 7).map((q) => q.slice(0, 300))) {
      const sent = h.server.sendInteraction(h.server.slashCommand({ name: 'ask', options: { question: q || '?' }, guildId: GUILD, locale: 'fr' }));
      const cb = await h.server.waitForCallback(sent.id);
      expect(cb.type).toBe(4);
      expect(cb.elapsedMs).toBeLessThan(3000);
      expect(cb.body.data).toMatchObject({ allowed_mentions: { parse: [] } });
      const text = embedText(cb);
      expect(text).not.toMatch(MENTION);
      expect(String(cb.data?.content ?? '').length).toBeLessThanOrEqual(LIMITS.content);
    }
    // The server refuses anything over Discord's limits; no refusal means none was sent.
    expect(h.server.requests.filter((r) => (r.status ?? 0) >= 400)).toEqual([]);
    expect(h.logs()).not.toMatch(/"msg":"interaction failed"/);
  }, 60_000);
});

describe('permission matrix', () => {
  const cases: [string, { user?: string; permissions?: string; roles?: string[]; dm?: boolean }, boolean, boolean][] = [
    // who, payload, may /summary, may /reload
    ['a member', { user: MEMBER }, false, false],
    ['a member given the commands by server staff (the payload carries no permission)', { user: MEMBER, permissions: '0' }, false, false],
    ['a moderator', { user: MODERATOR }, true, false],
    ['an operator by role', { user: OPERATOR_BY_ROLE, roles: [OP_ROLE] }, false, true],
    ['an operator by id', { user: OPERATOR_BY_ID }, false, true],
    ['an administrator', { user: ADMIN, permissions: (1n << 3n).toString() }, true, true],
    ['a direct message', { user: MEMBER, dm: true }, false, false],
  ];
  it.each(cases)('%s: /summary %s, /reload %s', async (_, who, maySummarize, mayReload) => {
    for (const [name, allowed] of [['summary', maySummarize], ['reload', mayReload]] as const) {
      const sent = h.server.sendInteraction(
        h.server.slashCommand({
          name,
          options: {},
          user: { id: who.user!, username: 'x' },
          guildId: who.dm ? null : GUILD,
          locale: 'en-US',
          ...(who.permissions !== undefined ? { permissions: who.permissions } : {}),
          ...(who.roles ? { roles: who.roles } : {}),
        }),
      );
      const cb = await h.server.waitForCallback(sent.id);
      if (allowed) {
        expect(isEphemeral(cb) && /only/i.test(String(cb.data?.content)), `${name} allowed`).toBe(false);
        if (name === 'reload') await h.server.waitForMessages(sent.token, (m) => m[0]?.revisions.some((r) => r.action === 'edit') ?? false);
      } else {
        expect(isEphemeral(cb), `${name} refused`).toBe(true);
        expect(String(cb.data?.content)).toMatch(/only/i);
      }
    }
  });
});

describe('gateway', () => {
  it('resumes after the connection drops and keeps answering', async () => {
    await h.server.dropConnection();
    await h.server.waitForResume();
    const { callback } = await h.command('ask', { question: 'When was VoIP restored?' }, { locale: 'en-US' });
    expect(embedText(callback)).toContain('November 3, 2016');
  });
});
