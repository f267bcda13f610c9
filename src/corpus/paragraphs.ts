import { normalizeText } from '../language/normalize.js';
import type { ParagraphKind } from './types.js';

/**
 * Paragraphs are separated by one or more blank lines; lines within one are joined, and runs
 * of spaces and tabs become one space. Only what needs changing is matched: rewriting every
 * single space took most of a 10,000-article scan.
 */
export function splitParagraphs(body: string): string[] {
  return normalizeText(body.replace(/\r\n?/g, '\n'))
    .split(/\n[ \t]*\n+/)
    .map((p) => {
      const line = p.includes('\n') ? p.replace(/\s*\n\s*/g, ' ') : p;
      return (line.includes('\t') || line.includes('  ') ? line.replace(/[ \t]*\t[ \t]*| {2,}/g, ' ') : line).trim();
    })
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
