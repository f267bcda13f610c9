export interface Sentence {
  text: string;
  start: number;
  end: number;
}

// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS = /(?:\b(?:M|Mme|Mlle|Dr|Pr|St|Mr|Mrs|Ms|etc|cf|p|n|no|vol|art|av|bd|env|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|janv|févr|déc)|\b\p{Lu})\.$/u;

/**
 * Split a paragraph into sentences. A quotation is never cut in two, so a quoted statement
 * with "(...)" or inner full stops stays one sentence.
 */
export function splitSentences(paragraph: string): Sentence[] {
  const out: Sentence[] = [];
  // One place makes sentences: the last one, made apart, sent optimized code back to the
  // interpreter the first time a paragraph ended without a full stop.
  const add = (from: number, to: number) => {
    const text = paragraph.slice(from, to).trim();
    if (text) out.push({ text, start: from, end: to });
  };
  let start = 0;
  let quoteDepth = 0;
  let straightOpen = false;
  for (let i = 0; i < paragraph.length; i++) {
    const c = paragraph[i]!;
    if (c === '«' || c === '“') quoteDepth++;
    else if ((c === '»' || c === '”') && quoteDepth > 0) quoteDepth--;
    else if (c === '"') straightOpen = !straightOpen;
    if (quoteDepth > 0 || straightOpen) continue;
    if (c !== '.' && c !== '!' && c !== '?' && c !== '…') continue;
    // Keep runs like "?!" or "..." together, and a closing quote or bracket after them.
    let end = i + 1;
    while (end < paragraph.length && /[.!?…"»”)\]]/.test(paragraph[end]!)) end++;
    const next = paragraph.slice(end);
    if (next && !/^\s+[\p{Lu}\d«"“(\[]/u.test(next)) continue;
    if (c === '.' && ABBREVIATIONS.test(paragraph.slice(Math.max(0, i - 6), i + 1))) continue;
    add(start, end);
    start = end;
    i = end - 1;
  }
  add(start, paragraph.length);
  return out;
}

/** A section kicker such as "TÉLÉPHONIE - " opens some articles; it is not part of the sentence. */
export function stripKicker(sentence: string): string {
  return sentence.replace(/^\p{Lu}[\p{Lu}\s'’-]{2,40}\s+[-–—]\s+/u, '');
}
