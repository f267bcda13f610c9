import type { Messages } from './messages.js';

/** Every user-facing English string. */
export const en: Messages = {
  notFound: (covers) =>
    `The indexed articles do not answer this question. They cover: ${covers}. Try rephrasing it, or ask me about these topics.`,
  emptyCorpus: 'No article is indexed yet, so I cannot answer any question.',
  invalidInput: 'This line is not a valid question: a JSON object with a "question" field is expected.',
  sourcesHeading: 'Sources:',
  budgetNote: 'Answer quoted from the articles: written answers are paused for today.',
  unverified: 'Unverified answer: the model cited no passage. Passages it was given:',
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
  bot: {
    generatedNote: 'Written by AI from the cited passages',
    unverifiedNote: 'Written by AI, unverified: no passage cited',
    extractiveNote: 'Passage quoted as is (writing unavailable)',
    writing: 'Writing…',
    sourceField: 'Source',
    passageField: 'Passage',
    notFoundTitle: 'Not in the articles',
    asOf: (date) => `As of ${date}`,
    showOriginal: 'Original passage',
    switchTo: { fr: 'En français', en: 'In English' },
    originalTitle: (paragraph) => `Original passage, paragraph ${paragraph}`,
    originalFooter: (title) => `From “${title}”`,
    feedbackThanks: 'Thanks for your feedback!',
    feedbackCounts: (up, down) => `Feedback on this answer: 👍 ${up} · 👎 ${down}`,
    expired: 'This answer is too old for that button: ask again with /ask.',
    rateLimited: (seconds) => `You are asking a lot of questions: try again in ${seconds} s.`,
    notModerator: 'Moderators only: this needs the Manage Messages permission.',
    notOperator: 'Bot operators only (the configured users or roles, or the Manage Server permission).',
    guildOnly: 'This command only works in a server.',
    error: (reference) => `Something went wrong on our side. Please try again in a moment (reference: ${reference}).`,
    summaryFooter: (paragraphs) => `Paragraphs used: ${paragraphs}`,
    reloadDone: ({ articles, passages, translations, ms }) =>
      `Corpus reloaded in ${ms} ms: ${articles} article${articles === 1 ? '' : 's'}, ${passages} passages, ${translations} translation${translations === 1 ? '' : 's'}.`,
    reloadFailed: 'Reload failed: no valid article. The previous index is still being served.',
    reloadError: (reason) => `Reload impossible: ${reason}. The previous index is still being served.`,
    reloadChanges: ({ added, removed, changed }) =>
      [added.length ? `Added: ${added.join(', ')}` : '', removed.length ? `Removed: ${removed.join(', ')}` : '', changed.length ? `Changed: ${changed.join(', ')}` : '']
        .filter(Boolean)
        .join('\n') || 'No changes.',
    reloadBroken: (n) => `${n} file${n === 1 ? '' : 's'} skipped:`,
    reloadQueued: 'A reload is already running: yours will follow.',
    reloadShards: ({ reloaded, total }) => `Reloaded on ${reloaded}/${total} shard${total === 1 ? '' : 's'}.`,
    reloadShardProblem: ({ shard, status, reason }) =>
      ({
        kept: `Shard ${shard}: no valid article, its previous index is still served.`,
        failed: `Shard ${shard}: reload failed${reason ? ` (${reason})` : ''}.`,
        down: `Shard ${shard}: not running (restarting?); it will load the corpus when it starts.`,
        timeout: `Shard ${shard}: no answer in time.`,
      })[status],
    unknownArticle: (id) => `No article has the id "${id}".`,
    questionLabel: 'Question',
  },
};
