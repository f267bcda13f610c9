import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/language/detect.js';

const french = [
  'Pourquoi la VoIP a-t-elle été bloquée au Maroc ?',
  'Quand la VoIP a-t-elle été rétablie ?',
  "qui dirige l'anrt par interim",
  'Le déblocage est-il limité à la durée de la COP22 ?',
  'Combien le Maroc aurait-il perdu ?',
  'Quelles applications peut-on utiliser ?',
  'est-ce que skype marche',
];
const english = [
  'Why was VoIP blocked in Morocco?',
  'When was VoIP restored?',
  'Who replaced the director general of the ANRT?',
  'How much money did Morocco lose because of the ban?',
  'Is the unblocking only for the duration of COP22?',
  "what's the ANRT",
  'which apps work again',
];

describe('detectLanguage', () => {
  it.each(french)('reads "%s" as French', (q) => {
    expect(detectLanguage(q).lang).toBe('fr');
  });

  it.each(english)('reads "%s" as English', (q) => {
    expect(detectLanguage(q).lang).toBe('en');
  });

  it('says nothing when nothing tells the languages apart', () => {
    expect(detectLanguage('COP22 ?').lang).toBeNull();
    expect(detectLanguage('').lang).toBeNull();
    expect(detectLanguage('🙂🙂').lang).toBeNull();
  });

  it('scores words that name object properties as any other word', () => {
    // "constructor" once found Object.prototype's and made the scores text.
    for (const text of ['What is the constructor of toString ?', 'Quel est le constructor de valueOf ?', '__proto__ hasOwnProperty']) {
      const d = detectLanguage(text);
      expect(typeof d.fr).toBe('number');
      expect(typeof d.en).toBe('number');
    }
    expect(detectLanguage('What is the constructor of toString ?')).toEqual({ lang: 'en', fr: 0, en: 8.5 });
    expect(detectLanguage('Quel est le constructor de valueOf ?').lang).toBe('fr');
  });

  it('ignores zero-width and bidi marks', () => {
    expect(detectLanguage('\u200BPourquoi\u200F la VoIP a-t-elle été bloquée ?').lang).toBe('fr');
  });
});

describe('detectLanguage on keyword queries', () => {
  it('lets the vocabulary decide when no function word does', async () => {
    const { defaultLexicon } = await import('../../src/language/lexicon.js');
    const lexicon = defaultLexicon();
    const vocabulary = (w: string, l: 'fr' | 'en') => lexicon.knowsWord(w, l);
    expect(detectLanguage('morocco voip ban reason', vocabulary).lang).toBe('en');
    expect(detectLanguage('voip maroc interdiction raison', vocabulary).lang).toBe('fr');
    expect(detectLanguage('morocco voip ban reason').lang).toBeNull();
  });
});
