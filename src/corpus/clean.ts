import { paragraphKind, splitParagraphs } from './paragraphs.js';
import { normalizeText } from '../language/normalize.js';
import { detectLanguage } from '../language/detect.js';
import type { Lang } from '../language/lang.js';

export interface CleanPage {
  title: string;
  paragraphs: string[];
  /** Short all-capital lines above the article ("BLOCAGE VOIP"): kept as tags, not text. */
  tags: string[];
  /** A date found on the page's own "Publication:" line, ISO. */
  published?: string;
  lang: Lang;
  /** What was removed, for the importer's report. */
  dropped: string[];
}

// Page furniture that news sites paste along with the article.
const FURNITURE = /^(?:imprimer|print|partager|share|tweet(?:er)?|commenter|comments?|envoyer|email|e-mail|facebook|twitter|whatsapp|linkedin|publicité|advertisement|abonnez-vous|subscribe|newsletter)$/i;
const DATE_LINE = /^(?:publication|publié(?:\s+le)?|mis à jour(?:\s+le)?|updated|published|posted)\s*:?/i;
const SITE_LINE = /^(?:huff\s?post|le huffington post|the huffington post)\b.*$/i;
const FR_MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

const squash = (s: string) => s.replace(/[\s|·•–—-]+$/u, '').replace(/\s+/g, ' ').trim().toLowerCase();

/** A date such as "03/11/2016", "2016-11-03" or "3 novembre 2016" in a line, as ISO. */
function dateIn(line: string): string | undefined {
  let m = /(\d{4})-(\d{2})-(\d{2})/.exec(line);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(line);
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  m = new RegExp(`(\\d{1,2})(?:er)?\\s+(${FR_MONTHS.join('|')})\\s+(\\d{4})`, 'i').exec(line);
  if (m) return `${m[3]}-${String(FR_MONTHS.indexOf(m[2]!.toLowerCase()) + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return undefined;
}

/**
 * Turn a news page pasted as text into an article: the site line, empty date lines, the
 * repeated headline, tag lines and "Imprimer"-style buttons go; a "LIRE AUSSI" teaser stays
 * as a related-article paragraph at its place.
 */
export function cleanPage(raw: string, hints: { title?: string } = {}): CleanPage {
  const lines = normalizeText(raw.replace(/\r\n?/g, '\n')).split('\n');
  const dropped: string[] = [];
  const tags: string[] = [];
  let title = hints.title?.trim();
  let published: string | undefined;
  const kept: string[] = [];
  let bodyStarted = false;
  for (const rawLine of lines) {
    const line = rawLine.trim();
    if (!line) {
      kept.push('');
      continue;
    }
    const isLongProse = line.length > 160 || /[.!?»"]$/.test(line) && line.split(/\s+/).length > 12;
    if (!bodyStarted && !isLongProse) {
      if (SITE_LINE.test(line) && line.split(/\s+/).length <= 5) { dropped.push(line); continue; }
      if (DATE_LINE.test(line)) { published ??= dateIn(line); dropped.push(line); continue; }
      if (FURNITURE.test(line)) { dropped.push(line); continue; }
      if (title && squash(line) === squash(title)) { dropped.push(line); continue; }
      if (!title) { title = line.replace(/\s*[|·•]\s*$/, ''); dropped.push(line); continue; }
      if (/^[\p{Lu}\d\s'’&-]{3,40}$/u.test(line) && line.split(/\s+/).length <= 5) { tags.push(line); dropped.push(line); continue; }
    }
    if (bodyStarted && FURNITURE.test(line)) { dropped.push(line); continue; }
    bodyStarted = true;
    kept.push(line);
  }
  if (!title) throw new Error('no title found: pass --title');
  const paragraphs = splitParagraphs(kept.join('\n'));
  if (paragraphs.length === 0) throw new Error('no article text found on the page');
  const body = paragraphs.filter((p) => paragraphKind(p) === 'body').join(' ');
  return { title, paragraphs, tags, published, lang: detectLanguage(body).lang ?? 'fr', dropped };
}

export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

export interface ArticleFields {
  id: string;
  title: string;
  lang: Lang;
  source?: string;
  url?: string;
  published?: string;
  tags?: string[];
}

/** Free text is always double-quoted: YAML reads plain `True`, `Null` or `1e3` as other types. */
function yamlValue(value: string): string {
  return JSON.stringify(value);
}

/** The corpus file text for an article (CONTRACT.md §1). */
export function articleFile(fields: ArticleFields, paragraphs: string[]): string {
  const fm = [
    '---',
    `id: ${fields.id}`,
    `title: ${yamlValue(fields.title)}`,
    `lang: ${fields.lang}`,
    ...(fields.source ? [`source: ${yamlValue(fields.source)}`] : []),
    ...(fields.url ? [`url: ${JSON.stringify(fields.url)}`] : []),
    ...(fields.published ? [`published: ${fields.published}`] : []),
    ...(fields.tags?.length ? [`tags: [${fields.tags.map(yamlValue).join(', ')}]`] : []),
    '---',
  ];
  return `${fm.join('\n')}\n${paragraphs.join('\n\n')}\n`;
}
