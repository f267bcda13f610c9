import type { Lang } from '../language/lang.js';

const FR_MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const FR_DAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
const EN_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface PartialDate {
  year: number;
  month?: number;
  day?: number;
}

export function parseIsoDate(iso: string | undefined): PartialDate | undefined {
  const m = iso ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso) : null;
  if (!m) return undefined;
  return { year: Number(m[1]), month: m[2] ? Number(m[2]) : undefined, day: m[3] ? Number(m[3]) : undefined };
}

/** "3 novembre 2016" / "November 3, 2016" / "novembre 2016" / "2016". */
export function formatDate(date: PartialDate, lang: Lang): string {
  if (!date.month) return String(date.year);
  if (!date.day) return `${lang === 'fr' ? FR_MONTHS[date.month - 1] : EN_MONTHS[date.month - 1]} ${date.year}`;
  return lang === 'fr'
    ? `${date.day === 1 ? '1er' : date.day} ${FR_MONTHS[date.month - 1]} ${date.year}`
    : `${EN_MONTHS[date.month - 1]} ${date.day}, ${date.year}`;
}

function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/**
 * The year of a day and month an article mentions without one: the occurrence nearest the
 * publication date, past ones preferred (news reports what happened), and the one whose
 * weekday agrees when the text names the weekday.
 */
export function yearFor(month: number, day: number | undefined, published: PartialDate, weekdayIndex?: number): number {
  const candidates = [published.year, published.year - 1, published.year + 1];
  if (day !== undefined && weekdayIndex !== undefined) {
    const agreeing = candidates.find((y) => weekday(y, month, day) === weekdayIndex);
    if (agreeing !== undefined) return agreeing;
  }
  if (published.month === undefined) return published.year;
  const pubDay = published.day ?? 31;
  const after = month > published.month || (month === published.month && (day ?? 1) > pubDay);
  // More than two months ahead of publication: the text means last year's.
  return after && month - published.month > 2 ? published.year - 1 : published.year;
}

const monthIndex = (name: string, lang: Lang): number => {
  const list = lang === 'fr' ? FR_MONTHS : EN_MONTHS;
  const n = name.toLowerCase().normalize('NFC');
  return list.findIndex((m) => m.toLowerCase() === n || m.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '') === n.normalize('NFD').replace(/\p{M}/gu, '')) + 1;
};

/**
 * Make dates without a year absolute from the article's date: "Jeudi 3 novembre" →
 * "Jeudi 3 novembre 2016", "en janvier dernier" → "en janvier 2016", "last January" →
 * "January 2016". Text without such dates, or an article without a date, comes back as is.
 */
export function resolveDates(text: string, lang: Lang, publishedIso: string | undefined): string {
  const published = parseIsoDate(publishedIso);
  if (!published) return text;
  if (lang === 'fr') {
    const months = FR_MONTHS.join('|') + '|fevrier|aout|decembre';
    const days = FR_DAYS.join('|');
    let out = text.replace(
      new RegExp(`\\b(?:(${days})\\s+)?(1er|\\d{1,2})\\s+(${months})\\b(?!\\s+(?:de l'an\\s+)?\\d{4})(\\s+dernier)?`, 'giu'),
      (all, wd: string | undefined, d: string, m: string, dernier: string | undefined) => {
        const month = monthIndex(m, 'fr');
        const day = d === '1er' ? 1 : Number(d);
        const wdi = wd ? FR_DAYS.indexOf(wd.toLowerCase()) : undefined;
        const year = dernier ? published.year - (month >= (published.month ?? 13) ? 1 : 0) : yearFor(month, day, published, wdi);
        return `${wd ? wd + ' ' : ''}${d} ${m} ${year}`;
      },
    );
    out = out.replace(new RegExp(`\\b(${months})\\s+(dernier|prochain)\\b`, 'giu'), (all, m: string, rel: string) => {
      const month = monthIndex(m, 'fr');
      const pm = published.month ?? 13;
      const year = rel.toLowerCase() === 'dernier' ? published.year - (month >= pm ? 1 : 0) : published.year + (month <= pm ? 1 : 0);
      return `${m} ${year}`;
    });
    out = out.replace(new RegExp(`\\b(début|fin|mi-|courant|en|depuis)(\\s*)(${months})\\b(?!\\s+\\d{4})`, 'giu'), (all, pre: string, sp: string, m: string) => {
      return `${pre}${sp}${m} ${yearFor(monthIndex(m, 'fr'), undefined, published)}`;
    });
    return out;
  }
  const months = EN_MONTHS.join('|');
  const days = EN_DAYS.join('|');
  let out = text.replace(
    new RegExp(`\\b(?:(${days}),?\\s+)?(${months})\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?!,?\\s+\\d{4})`, 'g'),
    (all, wd: string | undefined, m: string, d: string) => {
      const month = monthIndex(m, 'en');
      const year = yearFor(month, Number(d), published, wd ? EN_DAYS.indexOf(wd) : undefined);
      return `${all}, ${year}`;
    },
  );
  out = out.replace(new RegExp(`\\b(?:(${days}),?\\s+)?(\\d{1,2})\\s+(${months})\\b(?!,?\\s+\\d{4})`, 'g'), (all, wd: string | undefined, d: string, m: string) => {
    return `${all} ${yearFor(monthIndex(m, 'en'), Number(d), published, wd ? EN_DAYS.indexOf(wd) : undefined)}`;
  });
  // "decided to block VoIP last January" → "… in January 2016"; "since last January" keeps its preposition.
  out = out.replace(new RegExp(`\\b(in |since |from |until |by )?(last|next) (${months})\\b`, 'g'), (all, prep: string | undefined, rel: string, m: string) => {
    const month = monthIndex(m, 'en');
    const pm = published.month ?? 13;
    return `${prep ?? 'in '}${m} ${rel === 'last' ? published.year - (month >= pm ? 1 : 0) : published.year + (month <= pm ? 1 : 0)}`;
  });
  out = out.replace(new RegExp(`\\b(early|late|mid-|in|since)(\\s*)(${months})\\b(?!,?\\s+\\d{4})`, 'g'), (all, pre: string, sp: string, m: string) => {
    return `${pre}${sp}${m} ${yearFor(monthIndex(m, 'en'), undefined, published)}`;
  });
  return out;
}
