import { describe, expect, it } from 'vitest';
import { splitSentences, stripKicker } from '../../src/answer/sentences.js';

describe('splitSentences', () => {
  it('splits on sentence ends followed by a capital', () => {
    expect(splitSentences('Première phrase. Deuxième phrase ! Troisième ?').map((s) => s.text)).toEqual(['Première phrase.', 'Deuxième phrase !', 'Troisième ?']);
  });

  it('never cuts a quotation in two', () => {
    const p = 'Il a expliqué que "le trafic ne peut être assuré que par eux. (...) Les dispositions sont claires". Fin.';
    expect(splitSentences(p).map((s) => s.text)).toEqual(['Il a expliqué que "le trafic ne peut être assuré que par eux. (...) Les dispositions sont claires".', 'Fin.']);
  });

  it('keeps abbreviations and initials inside a sentence', () => {
    expect(splitSentences('M. Hassibi a parlé. Il est parti.').map((s) => s.text)).toEqual(['M. Hassibi a parlé.', 'Il est parti.']);
  });

  it('keeps a question mark without a following capital in place', () => {
    expect(splitSentences('pour satisfaire les étrangers à Marrakech? Pas forcément.').length).toBe(2);
  });
});

describe('stripKicker', () => {
  it('removes a capitalized section label', () => {
    expect(stripKicker("TÉLÉPHONIE - C'est une nouvelle.")).toBe("C'est une nouvelle.");
    expect(stripKicker('COP22 à Marrakech - une réussite')).toBe('COP22 à Marrakech - une réussite');
  });
});
