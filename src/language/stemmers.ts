import { createRequire } from 'node:module';
import type lunrType from 'lunr';
import type { Lang } from './lang.js';

const require = createRequire(import.meta.url);

/** lunr with the French plugin registered once, so serialized indexes load anywhere. */
export const lunr: typeof lunrType = require('lunr');
require('lunr-languages/lunr.stemmer.support.js')(lunr);
require('lunr-languages/lunr.fr.js')(lunr);

type StemFn = (token: lunrType.Token) => lunrType.Token;
const frStemmer: StemFn = (lunr as unknown as { fr: { stemmer: StemFn } }).fr.stemmer;
const enStemmer: StemFn = lunr.stemmer as unknown as StemFn;

export function stem(word: string, lang: Lang): string {
  const fn = lang === 'fr' ? frStemmer : enStemmer;
  return fn(new lunr.Token(word, {})).toString();
}
