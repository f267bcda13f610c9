import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import { MAX_QUESTION_LENGTH } from '../../commands/ask.js';

const commands = [...loadCommands().values()].map((c) => c.data.toJSON());
const byName = Object.fromEntries(commands.map((c) => [c.name, c]));

type Named = { name: string; description?: string; name_localizations?: Record<string, string> | null; description_localizations?: Record<string, string> | null };

/** Every name and description, with its localizations, in a command tree. */
function* named(node: Named & { options?: unknown[]; choices?: unknown[] }): Generator<Named> {
  yield node;
  for (const o of (node.options ?? []) as (Named & { options?: unknown[]; choices?: unknown[] })[]) yield* named(o);
  for (const c of (node.choices ?? []) as Named[]) yield c;
}

describe('command definitions', () => {
  it('defines /ask, /summary and /reload', () => {
    expect(Object.keys(byName).sort()).toEqual(['ask', 'reload', 'summary']);
  });

  it.each(commands.map((c) => [c.name, c] as const))('/%s respects Discord limits and is localized in French', (_, command) => {
    expect(command.options?.length ?? 0).toBeLessThanOrEqual(25);
    for (const n of named(command as never)) {
      expect(n.name).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
      if (n.description !== undefined) {
        expect(n.description.length).toBeGreaterThan(0);
        expect(n.description.length).toBeLessThanOrEqual(100);
        expect(n.description_localizations?.fr, `${n.name} description in French`).toBeTruthy();
      }
      for (const [locale, value] of Object.entries({ ...n.name_localizations, ...n.description_localizations })) {
        expect(['fr', 'en-US', 'en-GB']).toContain(locale);
        expect(value.length).toBeLessThanOrEqual(n.description !== undefined && value === n.description_localizations?.[locale] ? 100 : 32);
      }
    }
  });

  it('limits /ask questions to 300 characters and offers fr/en and a private answer', () => {
    const options = byName.ask!.options as { name: string; max_length?: number; required?: boolean; choices?: { value: string }[] }[];
    expect(options.find((o) => o.name === 'question')).toMatchObject({ required: true, max_length: MAX_QUESTION_LENGTH });
    expect(MAX_QUESTION_LENGTH).toBe(300);
    expect(options.find((o) => o.name === 'lang')!.choices!.map((c) => c.value)).toEqual(['fr', 'en']);
    expect(options.find((o) => o.name === 'private')).toBeTruthy();
    expect(byName.ask!.default_member_permissions ?? null).toBeNull();
  });

  it('restricts /summary to Manage Messages and /reload to Manage Server by default, in servers only', () => {
    expect(byName.summary!.default_member_permissions).toBe(PermissionFlagsBits.ManageMessages.toString());
    expect(byName.reload!.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(byName.summary!.contexts).toEqual([0]);
    expect(byName.reload!.contexts).toEqual([0]);
    const article = (byName.summary!.options as { name: string; autocomplete?: boolean; choices?: unknown }[]).find((o) => o.name === 'article')!;
    expect(article.autocomplete).toBe(true);
    expect(article.choices).toBeUndefined();
  });
});
