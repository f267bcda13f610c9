import type { Messages } from './messages.js';

/** Every user-facing French string. */
export const fr: Messages = {
  notFound: (covers) =>
    `Les articles indexés ne répondent pas à cette question. Ils portent sur : ${covers}. Reformulez la question ou interrogez-moi sur ces sujets.`,
  emptyCorpus: "Aucun article n'est indexé pour l'instant : je ne peux répondre à aucune question.",
  invalidInput: 'Cette ligne n\'est pas une question valide : un objet JSON avec un champ "question" est attendu.',
  emptyQuestion: 'La question est vide : posez une question sur les articles indexés.',
  source: ({ title, source, date, paragraph }) =>
    `Source : « ${title} »${source ? `, ${source}` : ''}${date ? `, ${date}` : ''}, paragraphe ${paragraph}`,
  related: (headline) => `Un article lié (« Lire aussi ») titrait : « ${headline} ».`,
  onlyInOriginal: ({ paragraph, original }) =>
    `La réponse se trouve au paragraphe ${paragraph} d'un article qui n'existe qu'en ${fr.languageName[original]} et n'a pas été traduit : voir le passage cité ci-dessous.`,
  asOf: (date) => `au ${date}`,
  summaryOnlyInOriginal: (title) => `Aucune traduction française de « ${title} » : résumé dans la langue de l'article.`,
  unknownArticle: (id) => `Aucun article ne porte l'identifiant « ${id} ».`,
  languageName: { fr: 'français', en: 'anglais' },
  quote: (text) => `« ${text} »`,
  articlesOnlyIn: (n, lang) => `${n} article${n > 1 ? 's' : ''} en ${fr.languageName[lang]} seulement`,
  sourceUntranslated: ({ source, date, paragraph, original }) =>
    `Source : article en ${fr.languageName[original]}${source ? `, ${source}` : ''}${date ? `, ${date}` : ''}, paragraphe ${paragraph}`,
  moreArticles: (n) => `et ${n} autre${n > 1 ? 's' : ''}`,
};
