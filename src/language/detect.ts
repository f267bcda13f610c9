import type { Lang } from './lang.js';
import { fold, normalizeText } from './normalize.js';

// Words frequent in one language and rare in the other (folded). Weighted: question words
// and articles decide short questions, where a single accent may be all there is. Maps, not
// objects: a word such as "constructor" would find Object.prototype's and turn the scores
// into text.
const FR_MARKERS = new Map<string, number>(
  (`le:1 la:1 les:1.5 des:1.5 du:1.5 de:1 et:1.5 est:1.5 une:1.5 un:1 au:1.5 aux:1.5 sur:1 pas:1.5 dans:1.5 pour:1.5 par:1 que:1.5 qui:2 ne:1.5 se:1 il:1.5 elle:1.5 ils:1.5 ont:2 sont:2 avait:2 etait:2 ete:2 cette:2 ces:1.5 selon:2 apres:1.5
    pourquoi:3 quand:3 combien:3 comment:3 quel:3 quelle:3 quels:3 quelles:3 ou:1 depuis:2 est-ce:3 qu:2 l:1 d:1 c:1 avec:2 nous:1.5 vous:1.5 peut:1.5 on:1 y:1 mais:1.5 aussi:1.5 tres:2 leur:1.5 sans:1.5 lors:2 entre:1 contre:1 chez:2`)
    .split(/\s+/).map((p): [string, number] => { const [w, s] = p.split(':'); return [w!, Number(s)]; }),
);
const EN_MARKERS = new Map<string, number>(
  (`the:2 of:1.5 and:1.5 is:1.5 was:2 to:1 in:1 for:1 that:1.5 by:1 on:1 with:1.5 it:1.5 from:1.5 were:2 has:1.5 have:1.5 be:1.5 this:1.5 which:2 after:1 had:2 been:2 are:1.5 its:1.5 did:2 does:2 do:1.5 can:1.5 will:1.5 would:1.5 about:1.5 there:1.5 they:1.5 what:3 why:3 when:3 who:3 how:3 where:3 much:2 many:2 whose:3 whom:3 an:1 at:1 people:1.5 again:1.5 only:1.5 still:1.5`)
    .split(/\s+/).map((p): [string, number] => { const [w, s] = p.split(':'); return [w!, Number(s)]; }),
);

export interface Detection {
  lang: Lang | null;
  fr: number;
  en: number;
}

/**
 * Which of French or English a text is written in, from function words, elisions,
 * accents and spelling; `lang` is null when nothing tells them apart ("COP22 ?").
 */
export function detectLanguage(text: string, vocabulary?: (word: string, lang: Lang) => boolean): Detection {
  const norm = normalizeText(text);
  let fr = 0;
  let en = 0;
  for (const raw of norm.toLowerCase().split(/[^\p{L}'-]+/u)) {
    if (!raw) continue;
    // Elisions are French ("l'ANRT", "qu'il"); "'s" and "n't" are English.
    if (/^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'\p{L}/u.test(raw)) fr += 1.5;
    if (/\p{L}'(?:s|t|re|ve|ll|d)$/u.test(raw)) en += 1.5;
    if (/-t-(?:il|elle|on|ils|elles)$|-(?:il|elle|ils|elles|on|je|tu|nous|vous)$/.test(raw)) fr += 2;
    for (const part of raw.split(/['-]/)) {
      const w = fold(part);
      fr += FR_MARKERS.get(w) ?? 0;
      en += EN_MARKERS.get(w) ?? 0;
      if (/[éèêàùçâîôûëïœ]/.test(part)) fr += 1;
      if (/^\p{L}+(?:tion|ing|ed|ly)$/u.test(w) && w.length > 5) en += w.endsWith('tion') ? 0 : 0.5;
      if (/(?:eux|eaux|ait|aient|ement|ée|ées)$/.test(part)) fr += 0.5;
    }
  }
  let lang: Lang | null = fr === en ? null : fr > en ? 'fr' : 'en';
  // Keyword queries ("morocco voip ban reason") have no function words: let the vocabulary
  // decide, if the caller knows one (words only one language's lexicon has).
  if (lang === null && vocabulary) {
    let vf = 0;
    let ve = 0;
    for (const raw of norm.toLowerCase().split(/[^\p{L}'-]+/u)) {
      if (!raw) continue;
      const inFr = vocabulary(raw, 'fr');
      const inEn = vocabulary(raw, 'en');
      if (inFr && !inEn) vf++;
      if (inEn && !inFr) ve++;
    }
    if (vf !== ve) lang = vf > ve ? 'fr' : 'en';
  }
  return { lang, fr, en };
}
