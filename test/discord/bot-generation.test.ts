import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicServer, type AnthropicTestServer } from '../anthropic/server.js';
import { GUILD, MODERATOR, startHarness, type Harness } from './harness.js';

const KEY = 'sk-ant-bot-SECRET-5566778899';
let model: AnthropicTestServer;
let h: Harness;

beforeAll(async () => {
  model = await startAnthropicServer({ apiKey: KEY, eventDelayMs: 5 });
  h = await startHarness({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: model.baseURL, ANTHROPIC_TIMEOUT_MS: '1500', ANTHROPIC_MAX_RETRIES: '0' });
});
afterAll(async () => {
  await h?.cleanup();
  await model?.close();
});

type Embed = { description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } };
const finalEmbed = async (token: string) => {
  const [original] = await h.server.waitForMessages(token, (m) => (m[0]?.message.components as unknown[] | undefined)?.length === 1, { timeoutMs: 10_000 });
  return (original!.message.embeds as Embed[])[0]!;
};

describe('/ask with a model', () => {
  it('defers, streams the answer into the reply, and finishes with numbered sources', async () => {
    const { sent, callback } = await h.command('ask', { question: 'Quand la VoIP a-t-elle été rétablie ?' });
    expect(callback.type).toBe(5);
    expect(callback.elapsedMs).toBeLessThan(3000);
    const embed = await finalEmbed(sent.token);
    expect(embed.description).toContain('[1]');
    expect(embed.fields![0]).toMatchObject({ name: '[1]' });
    expect(embed.fields![0]!.value).toContain('HuffPost Maroc');
    expect(embed.footer!.text).toContain('Réponse rédigée par IA');
    const edits = h.server.messages(sent.token)[0]!.revisions.filter((r) => r.action === 'edit');
    expect(edits.length).toBeGreaterThanOrEqual(1);
    for (const e of edits) expect(e.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it('falls back to the extractive answer inside the Discord window when the model hangs', async () => {
    model.respondWith(() => ({ kind: 'hang' }));
    try {
      const { sent, callback } = await h.command('ask', { question: 'Qui dirige l\'ANRT par intérim ?' }, { user: MODERATOR });
      expect(callback.type).toBe(5);
      const embed = await finalEmbed(sent.token);
      expect(embed.description).toContain('Azelarab Hassibi');
      expect(embed.footer!.text).toContain('rédaction indisponible');
    } finally {
      model.respondWith();
    }
  });

  it('posts a generated summary after deferring', async () => {
    const sent = h.server.sendInteraction(h.server.slashCommand({ name: 'summary', options: { lang: 'fr' }, user: { id: MODERATOR, username: 'mona' }, guildId: GUILD, locale: 'fr' }));
    const cb = await h.server.waitForCallback(sent.id);
    expect(cb.type).toBe(5);
    const [original] = await h.server.waitForMessages(sent.token, (m) => m[0]?.revisions.some((r) => r.action === 'edit') ?? false, { timeoutMs: 10_000 });
    expect(JSON.stringify(original!.message.embeds)).toContain('La VoIP (enfin) rétablie au Maroc');
  });

  it('never logs the API key', () => {
    expect(h.logs()).not.toContain(KEY);
    expect(h.logs()).toMatch(/"msg":"generation"/);
  });
});
