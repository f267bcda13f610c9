/** Discord's message and embed limits (a message over any of them is refused with a 400). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  customId: 100,
  choiceName: 100,
  autocompleteChoices: 25,
} as const;

/**
 * Shorten text to `max` characters at a sentence end, else a line end, else a word, with an
 * ellipsis, so a trimmed answer still reads as sentences.
 */
export function trimText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, max);
  const room = text.slice(0, max - 1);
  const sentence = Math.max(...['. ', '! ', '? ', '.\n', '!\n', '?\n'].map((s) => room.lastIndexOf(s)));
  if (sentence > max * 0.5) return `${room.slice(0, sentence + 1)} …`.slice(0, max);
  const line = room.lastIndexOf('\n');
  if (line > max * 0.5) return `${room.slice(0, line)}\n…`;
  const space = room.lastIndexOf(' ');
  return `${room.slice(0, space > max * 0.5 ? space : room.length)}…`;
}

export interface EmbedData {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
}

const embedSize = (e: EmbedData) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/**
 * Bring embeds within every limit: each part trimmed at sentence boundaries, at most 25
 * fields, and the 6000-character total kept by shortening descriptions, then fields.
 */
export type FittedEmbed = EmbedData & { fields: NonNullable<EmbedData['fields']> };

export function fitEmbeds(embeds: EmbedData[]): FittedEmbed[] {
  const fitted: FittedEmbed[] = embeds.slice(0, 10).map((e) => ({
    ...e,
    title: e.title === undefined ? undefined : trimText(e.title, LIMITS.embedTitle),
    description: e.description === undefined ? undefined : trimText(e.description, LIMITS.embedDescription),
    footer: e.footer ? { text: trimText(e.footer.text, LIMITS.footer) } : undefined,
    fields: (e.fields ?? [])
      .filter((f) => f.name && f.value)
      .slice(0, LIMITS.fields)
      .map((f) => ({ ...f, name: trimText(f.name, LIMITS.fieldName), value: trimText(f.value, LIMITS.fieldValue) })),
  }));
  let total = fitted.reduce((n, e) => n + embedSize(e), 0);
  for (const e of [...fitted].reverse()) {
    if (total <= LIMITS.embedTotal) break;
    if (e.description) {
      const keep = Math.max(100, e.description.length - (total - LIMITS.embedTotal));
      total -= e.description.length;
      e.description = trimText(e.description, keep);
      total += e.description.length;
    }
    while (total > LIMITS.embedTotal && e.fields.length) {
      const f = e.fields.pop()!;
      total -= f.name.length + f.value.length;
    }
  }
  return fitted;
}
