import type { Messages } from './messages.js';

/** Every user-facing English string. */
export const en: Messages = {
  notFound: (covers) =>
    `The indexed articles do not answer this question. They cover: ${covers}. Try rephrasing it, or ask me about these topics.`,
  emptyCorpus: 'No article is indexed yet, so I cannot answer any question.',
  invalidInput: 'This line is not a valid question: a JSON object with a "question" field is expected.',
  emptyQuestion: 'The question is empty: ask something about the indexed articles.',
  source: ({ title, source, date, paragraph }) =>
    `Source: “${title}”${source ? `, ${source}` : ''}${date ? `, ${date}` : ''}, paragraph ${paragraph}`,
  related: (headline) => `A related article (“Read also”) was headlined: “${headline}”.`,
  onlyInOriginal: ({ paragraph, original }) =>
    `The answer is in paragraph ${paragraph} of an article that is only available in ${en.languageName[original]} and has not been translated yet: see the quoted passage below.`,
  asOf: (date) => `as of ${date}`,
  summaryOnlyInOriginal: (title) => `No English translation of “${title}”: summary in the article's language.`,
  unknownArticle: (id) => `No article has the id "${id}".`,
  languageName: { fr: 'French', en: 'English' },
  quote: (text) => `“${text}”`,
  articlesOnlyIn: (n, lang) => `${n} article${n > 1 ? 's' : ''} available only in ${en.languageName[lang]}`,
  sourceUntranslated: ({ source, date, paragraph, original }) =>
    `Source: an article in ${en.languageName[original]}${source ? `, ${source}` : ''}${date ? `, ${date}` : ''}, paragraph ${paragraph}`,
  moreArticles: (n) => `and ${n} more`,
};
