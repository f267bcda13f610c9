import type { Messages } from './messages.js';

/** Every user-facing French string. */
export const fr: Messages = {
  notFound: (covers) =>
    `Les articles indexés ne répondent pas à cette question. Ils portent sur : ${covers}. Reformulez la question ou interrogez-moi sur ces sujets.`,
  emptyCorpus: "Aucun article n'est indexé pour l'instant : je ne peux répondre à aucune question.",
  invalidInput: 'Cette ligne n\'est pas une question valide : un objet JSON avec un champ "question" est attendu.',
  sourcesHeading: 'Sources :',
  budgetNote: 'Réponse tirée mot pour mot des articles : les réponses rédigées sont en pause pour aujourd\'hui.',
  unverified: 'Réponse non vérifiée : le modèle n\'a cité aucun passage. Passages qui lui ont été fournis :',
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
  bot: {
    generatedNote: 'Réponse rédigée par IA à partir des passages cités',
    unverifiedNote: 'Réponse rédigée par IA, non vérifiée : aucun passage cité',
    extractiveNote: 'Passage cité tel quel (rédaction indisponible)',
    writing: 'Rédaction en cours…',
    sourceField: 'Source',
    passageField: 'Passage',
    notFoundTitle: 'Pas de réponse dans les articles',
    asOf: (date) => `Au ${date}`,
    showOriginal: 'Passage original',
    switchTo: { fr: 'En français', en: 'In English' },
    originalTitle: (paragraph) => `Passage original, paragraphe ${paragraph}`,
    originalFooter: (title) => `Extrait de « ${title} »`,
    feedbackThanks: 'Merci pour votre avis !',
    feedbackCounts: (up, down) => `Avis sur cette réponse : 👍 ${up} · 👎 ${down}`,
    expired: 'Cette réponse est trop ancienne pour ce bouton : reposez la question avec /ask.',
    rateLimited: (seconds) => `Vous posez beaucoup de questions : réessayez dans ${seconds} s.`,
    notModerator: 'Réservé aux modérateurs : il faut la permission « Gérer les messages ».',
    notOperator: "Réservé aux opérateurs du bot (liste d'utilisateurs ou de rôles configurée, ou permission « Gérer le serveur »).",
    guildOnly: 'Cette commande ne fonctionne que sur un serveur.',
    error: (reference) => `Une erreur est survenue de notre côté. Réessayez dans un instant (référence : ${reference}).`,
    summaryFooter: (paragraphs) => `Paragraphes utilisés : ${paragraphs}`,
    reloadDone: ({ articles, passages, translations, ms }) =>
      `Corpus rechargé en ${ms} ms : ${articles} article${articles > 1 ? 's' : ''}, ${passages} passages, ${translations} traduction${translations > 1 ? 's' : ''}.`,
    reloadFailed: "Rechargement échoué : aucun article valide. L'ancien index reste en service.",
    reloadError: (reason) => `Rechargement impossible : ${reason}. L'ancien index reste en service.`,
    reloadChanges: ({ added, removed, changed }) =>
      [added.length ? `Ajoutés : ${added.join(', ')}` : '', removed.length ? `Retirés : ${removed.join(', ')}` : '', changed.length ? `Modifiés : ${changed.join(', ')}` : '']
        .filter(Boolean)
        .join('\n') || 'Aucun changement.',
    reloadBroken: (n) => `${n} fichier${n > 1 ? 's' : ''} ignoré${n > 1 ? 's' : ''} :`,
    reloadQueued: 'Un rechargement est déjà en cours : le vôtre suivra.',
    reloadShards: ({ reloaded, total }) => `Rechargé sur ${reloaded}/${total} shard${total > 1 ? 's' : ''}.`,
    reloadShardProblem: ({ shard, status, reason }) =>
      ({
        kept: `Shard ${shard} : aucun article valide, son ancien index reste en service.`,
        failed: `Shard ${shard} : échec du rechargement${reason ? ` (${reason})` : ''}.`,
        down: `Shard ${shard} : arrêté (en redémarrage ?) ; il chargera le corpus à son démarrage.`,
        timeout: `Shard ${shard} : pas de réponse à temps.`,
      })[status],
    unknownArticle: (id) => `Aucun article ne porte l'identifiant « ${id} ».`,
    questionLabel: 'Question',
  },
};
