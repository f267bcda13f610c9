import { describe, expect, it } from 'vitest';
import { fitEmbeds, LIMITS, trimText } from '../../src/discord/limits.js';
import { renderAnswer, renderReload } from '../../src/discord/render.js';
import { echo } from '../../src/discord/text.js';
import type { AnswerOut } from '../../src/engine.js';

const size = (e: ReturnType<typeof fitEmbeds>[number]) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + e.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);

describe('Discord limits', () => {
  it('trims at a sentence end when it can', () => {
    const text = 'Première phrase assez longue. Deuxième phrase encore plus longue que la première.';
    expect(trimText(text, 40)).toBe('Première phrase assez longue. …');
    expect(trimText('court', 40)).toBe('court');
    expect(trimText('x'.repeat(50), 10).length).toBeLessThanOrEqual(10);
  });

  it('brings any embed within every limit', () => {
    const long = 'Une phrase. '.repeat(1000);
    const [e] = fitEmbeds([{ title: long, description: long, footer: { text: long }, fields: Array.from({ length: 40 }, (_, i) => ({ name: `${i} ${long}`, value: long })) }]);
    expect(e!.title!.length).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(e!.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(e!.footer!.text.length).toBeLessThanOrEqual(LIMITS.footer);
    expect(e!.fields.length).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e!.fields) {
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    expect(size(e!)).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it('renders an over-long answer and a reload report full of broken files within limits', () => {
    const answer: AnswerOut = { question: 'q'.repeat(300), lang: 'fr', found: false, mode: 'extractive', answer: 'Réponse. '.repeat(800), passages: [], question_lang: 'fr', answer_type: 'other' };
    const [e] = renderAnswer(answer, 'k', new Map()).embeds;
    expect(size(e as never)).toBeLessThanOrEqual(LIMITS.embedTotal);
    const errors = Array.from({ length: 300 }, (_, i) => ({ file: `fichier-${i}.md`, reason: 'invalid YAML in front matter: bad indentation of a mapping entry' }));
    const [r] = renderReload({ swapped: true, added: [], removed: [], changed: [], stats: { articles: 1, passages: 7, translations: 1, errors, fromCache: false, ms: 12 } }, 'fr').embeds;
    expect(size(r as never)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect((r as never as { fields: { value: string }[] }).fields[0]!.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
  });
});

describe('echo', () => {
  it('escapes markdown and breaks mentions', () => {
    expect(echo('**gras** @everyone @here <@123> <@&456> <#789>')).toBe('\\*\\*gras\\*\\* @\u200beveryone @\u200bhere <@\u200b123> <@&\u200b456> <#\u200b789>');
  });
});
