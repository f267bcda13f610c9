import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/language/normalize.js';
import { splitParagraphs } from '../../src/corpus/paragraphs.js';

// The definition splitParagraphs() keeps: blank lines separate paragraphs, a paragraph's
// lines are joined, runs of spaces and tabs become one space.
const byDefinition = (body: string) =>
  normalizeText(body.replace(/\r\n?/g, '\n'))
    .split(/\n[ \t]*\n+/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').replace(/[ \t]*\t[ \t]*| {2,}/g, ' ').trim())
    .filter((p) => p.length > 0);

describe('splitParagraphs', () => {
  it('splits on blank lines and joins lines', () => {
    expect(splitParagraphs('Un  deux\ntrois\n\n\tQuatre\t cinq \r\n\r\nsix')).toEqual(['Un deux trois', 'Quatre cinq', 'six']);
  });

  it('gives what its definition gives, whatever the whitespace', () => {
    const piece = fc.oneof(fc.constantFrom(' ', '  ', '\t', ' \t ', '\n', '\n\n', '\r\n', '\u00A0', 'mot', 'é', "l’", '.'), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const body = pieces.join('');
        expect(splitParagraphs(body)).toEqual(byDefinition(body));
      }),
    );
  });
});
