import { normalizeText } from '../language/normalize.js';
import type { ParagraphKind } from './types.js';

/** Paragraphs are separated by one or more blank lines; lines within one are joined. */
export function splitParagraphs(body: string): string[] {
  return normalizeText(body.replace(/\r\n?/g, '\n'))
    .split(/\n[ \t]*\n+/)
    .map((p) => p.split('\n').map((l) => l.trim()).join(' ').replace(/[ \t]+/g, ' ').trim())
    .filter((p) => p.length > 0);
}

const RELATED = /^(?:[àa] lire aussi|lire aussi|voir aussi|lire [ée]galement|read also|see also|also read|read more|related)\s*:/i;

export function paragraphKind(text: string): ParagraphKind {
  return RELATED.test(text) ? 'related' : 'body';
}

/** The headline of a related-article teaser, without its "LIRE AUSSI:" label. */
export function relatedHeadline(text: string): string {
  return text.replace(RELATED, '').trim();
}
