import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedAnswerType, typeEvidence, typeEvidenceNear, typeMatches, typePatterns, type AnswerType } from '../../src/answer/answer-type.js';
import { fold, normalizeText } from '../../src/language/normalize.js';

describe('expectedAnswerType', () => {
  it.each([
    ['Pourquoi la VoIP a-t-elle été bloquée ?', 'fr', 'cause'],
    ['Why was VoIP blocked?', 'en', 'cause'],
    ['Quand la VoIP a-t-elle été rétablie ?', 'fr', 'date'],
    ['Depuis quand les appels étaient-ils bloqués ?', 'fr', 'date'],
    ['When was VoIP restored?', 'en', 'date'],
    ['How long did the ban last?', 'en', 'duration'],
    ['Combien de jours avant la COP22 ?', 'fr', 'duration'],
    ['Combien le Maroc aurait-il perdu ?', 'fr', 'amount'],
    ['How much money did Morocco lose?', 'en', 'amount'],
    ['Qui dirige l\'ANRT ?', 'fr', 'person'],
    ['Quel organisme a décidé le blocage ?', 'fr', 'person'],
    ['Who replaced the director?', 'en', 'person'],
    ['Où se tient la COP22 ?', 'fr', 'place'],
    ['Where was COP22 held?', 'en', 'place'],
    ['Que signifie le sigle VoIP ?', 'fr', 'definition'],
    ['Quelles applications peut-on utiliser ?', 'fr', 'list'],
    ['Le déblocage est-il limité à la COP22 ?', 'fr', 'yesno'],
    ['Quel temps faisait-il à Marrakech ?', 'fr', 'weather'],
    ['What explanation did the regulator give when it cut off the calls?', 'en', 'cause'],
    ['Quelle a été la durée de la coupure ?', 'fr', 'duration'],
    ['In which month were the calls cut?', 'en', 'date'],
    ['Quelle ville accueille la conférence ?', 'fr', 'place'],
    ['What was the estimated cost of the ban?', 'en', 'amount'],
    ["C'est quoi exactement l'ANRT ?", 'fr', 'definition'],
    ['what is the ANRT', 'en', 'definition'],
    ["Qu'est-ce que la source a confié à Médias24 ?", 'fr', 'other'],
    ['À quel moment de l\'année le blocage a-t-il commencé ?', 'fr', 'date'],
    ['Is the unblocking only for COP22?', 'en', 'yesno'],
  ] as const)('"%s" (%s) asks for a %s', (q, lang, type) => {
    expect(expectedAnswerType(q, lang)).toBe(type);
  });

  it('does not take the conjunction "ou" for "où"', () => {
    expect(expectedAnswerType('Skype ou WhatsApp sont-ils autorisés ?', 'fr')).not.toBe('place');
  });
});

describe('typeEvidence', () => {
  it('recognizes dates, amounts, names, places and causes', () => {
    expect(typeEvidence('Jeudi 3 novembre, l\'ANRT a écrit', 'date')).toBe(1);
    expect(typeEvidence('en 2016', 'date')).toBeLessThan(1);
    expect(typeEvidence('320 millions de dollars', 'amount')).toBe(1);
    expect(typeEvidence('remplacé par Azelarab Hassibi au poste', 'person')).toBe(1);
    expect(typeEvidence("l'ouverture de la COP22 à Marrakech", 'place')).toBe(1);
    expect(typeEvidence('avait justifié cette décision en expliquant que', 'cause')).toBe(1);
    expect(typeEvidence('Skype, WhatsApp, Viber ou Messenger', 'list')).toBe(1);
    expect(typeEvidence('la voix sur IP', 'date')).toBe(0);
  });

  it('counts a sign fully only near the question words, in the same sentence', () => {
    const text = 'Le déblocage de la VoIP est acquis. Il y a quatre jours, la COP22 a ouvert.';
    const voip = text.indexOf('VoIP');
    const cop = text.indexOf('COP22');
    expect(typeEvidenceNear(text, 'duration', [cop])).toBe(1);
    expect(typeEvidenceNear(text, 'duration', [voip])).toBeLessThan(0.5);
  });
});

describe('typeMatches', () => {
  const TYPES: AnswerType[] = ['cause', 'date', 'duration', 'amount', 'person', 'place', 'definition', 'weather', 'list', 'other'];
  // What String.prototype.matchAll finds, pattern after pattern, on the text as typeMatches reads it.
  const reference = (text: string, type: AnswerType) => {
    const norm = normalizeText(text);
    return typePatterns(type).flatMap(({ re, strength, cased }) => [...(cased ? norm : fold(norm)).matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length, strength })));
  };

  it('finds every sign matchAll finds, in the same order, on any text', () => {
    const piece = fc.constantFrom('Le', ' ', 'jeudi', '3', ' novembre', '2016', ', ', 'M. ', 'Azdoud', ' Amine', '(voix sur IP)', 'ANRT', ' à ', 'Rabat', '10 millions', ' de dirhams', '%', '$5', ' parce que', ' depuis', ' trois jours', '.', ' É', 'é', '😀', '\u2019', 'Skype, WhatsApp et Viber', '25 degrés', '\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.nat(), (pieces, salt) => {
        // A text never seen before: typeMatches remembers what it found per text.
        const text = `${pieces.join('')} #${salt}`;
        for (const type of TYPES) expect(typeMatches(text, type)).toEqual(reference(text, type));
      }),
    );
  });

  it('finds the same again for a text it has seen', () => {
    const text = 'Le jeudi 3 novembre 2016, M. Azdoud a parlé à Rabat de 10 millions de dirhams.';
    const first = typeMatches(text, 'date');
    expect(first.length).toBeGreaterThan(1);
    expect(typeMatches(text, 'date')).toEqual(first);
    expect(typeMatches(text, 'date')).toEqual(reference(text, 'date'));
  });
});
