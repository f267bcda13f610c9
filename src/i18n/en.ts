import type { Messages } from './messages.js';

/** Every user-facing English string. */
export const en: Messages = {
  notFound: (covers) =>
    `The indexed articles do not answer this question. They cover: ${covers}. Try rephrasing it, or ask me about these topics.`,
  emptyCorpus: 'No article is indexed yet, so I cannot answer any question.',
  emptyQuestion: 'The question is empty: ask something about the indexed articles.',
  source: ({ title, source, date, paragraph }) =>
    `Source: “${title}”${source ? `, ${source}` : ''}${date ? `, ${date}` : ''}, paragraph ${paragraph}`,
  related: (headline) => `A related article (“Read also”) was headlined: “${headline}”.`,
  onlyInOriginal: ({ title, paragraph, original }) =>
    `The answer is in paragraph ${paragraph} of the article “${title}”, which is only available in ${en.languageName[original]}: see the quoted passage.`,
  asOf: (date) => `as of ${date}`,
  summaryOnlyInOriginal: (title) => `No English translation of “${title}”: summary in the article's language.`,
  unknownArticle: (id) => `No article has the id "${id}".`,
  languageName: { fr: 'French', en: 'English' },
  moreArticles: (n) => `and ${n} more`,
};
