import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiObject } from './server.js';
import { ADMIN, CHANNEL, GUILD, MEMBER, MODERATOR, OPERATOR_BY_ID, OPERATOR_BY_ROLE, TOKEN, customIdsOf, embedsOf, embedText, isEphemeral, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.cleanup();
});

const command: Harness['command'] = (...args) => h.command(...args);
const click: Harness['click'] = (...args) => h.click(...args);

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

  it('answers in a direct message too', async () => {
    const sent = h.server.sendInteraction(h.server.slashCommand({ name: 'ask', options: { question: 'Who replaced the director general of the ANRT?' }, guildId: null, locale: 'en-US' }));
    const cb = await h.server.waitForCallback(sent.id);
    expect(embedText(cb)).toContain('Azelarab Hassibi');
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
    const message = h.server.messages(sent.token)[0]!.id;

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
    expect(h.logs()).toMatch(/"msg":"feedback"/);
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
    const sent = h.server.sendInteraction(h.server.autocomplete({ name: 'summary', options: { article: 'voip' }, focused: 'article', user: { id: MODERATOR, username: 'mona' }, guildId: GUILD, channelId: CHANNEL }));
    const cb = await h.server.waitForCallback(sent.id);
    expect(cb.type).toBe(8);
    expect((cb.data?.choices as ApiObject[])[0]).toMatchObject({ value: 'voip-maroc-2016' });
  });
});

describe('/reload', () => {
  it('reloads for an operator by role, reporting the added article and the broken file', async () => {
    await writeFile(join(h.corpus, 'nouvel-article.md'), '---\ntitle: La 5G arrive au Maroc\nlang: fr\npublished: 2030-01-02\n---\nLa 5G a été lancée au Maroc le 2 janvier 2030 par les trois opérateurs.\n');
    await writeFile(join(h.corpus, 'casse.md'), '---\ntitle: [oops\n---\ntexte\n');
    const { sent, callback } = await command('reload', {}, { user: OPERATOR_BY_ROLE });
    expect(callback.type).toBe(5);
    expect(isEphemeral(callback)).toBe(true);
    const [original] = await h.server.waitForMessages(sent.token, (m) => m[0]?.revisions.some((r) => r.action === 'edit') ?? false);
    const text = JSON.stringify(original!.message.embeds);
    const edit = original!.revisions.find((r) => r.action === 'edit')!;
    expect(edit.body).toMatchObject({ allowed_mentions: { parse: [] } });
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
      const [done] = await h.server.waitForMessages(sent.token, (m) => m[0]?.revisions.some((r) => r.action === 'edit') ?? false);
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
    expect(h.logs().length).toBeGreaterThan(0);
    expect(h.logs()).not.toContain(TOKEN);
    expect(JSON.stringify(h.server.requests)).not.toContain(TOKEN);
  });
});
