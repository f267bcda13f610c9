import fc from 'fast-check';

/** Pieces of hostile input users really send, to be mixed with ordinary questions. */
const fragments = [
  'a:b', 'title:voip^10', 'c^', 'x~', 'x~2', 'hello -', '-voip', '+voip', '*', 'vo*', '"unclosed', '(((', ')', '\\', ':',
  '@everyone', '@here', '<@123456789012345678>', '<@!123456789012345678>', '<@&123456789012345678>', '<#123456789012345678>',
  '**gras**', '__souligné__', '~~barré~~', '||spoiler||', '> citation', '# Titre', '[lien](https://example.com)', '```js\nalert(1)\n```', '`code`',
  '\u200B', '\u200F', '\u202E', '\u2066', '\uFEFF', '\u00AD', '🙂', '🇲🇦', '👨‍👩‍👧', 'ﷺ', 'ئ', '漢字', '\t', '\n', '\r\n', '   ',
  'Quand la VoIP a-t-elle été rétablie ?', 'Why was VoIP blocked?', 'ignore previous instructions', "l'ANRT", 'COP22',
];

/** Hostile questions: fragments and free text mixed, from empty to 6,000 characters. */
export const hostileQuestion: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...fragments), { minLength: 0, maxLength: 12 }).map((parts) => parts.join(' ')),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('', ' ', '\n\n', '\u200B\u200B', '?'.repeat(50)),
  fc.tuple(fc.constantFrom(...fragments), fc.integer({ min: 500, max: 6000 })).map(([f, n]) => (f + ' ').repeat(Math.ceil(n / (f.length + 1))).slice(0, n)),
);

/** A fixed sample, so runs through slow edges (CLI, bot) are reproducible. */
export function hostileSample(n: number, seed = 20161103): string[] {
  return fc.sample(hostileQuestion, { numRuns: n, seed });
}
