import { InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import { isLang, type Lang } from '../src/language/lang.js';
import { messages } from '../src/i18n/messages.js';
import { langOfLocale } from '../src/discord/context.js';
import { renderAnswer, renderNotice, renderOriginal, renderPartial } from '../src/discord/render.js';
import { ThrottledEditor } from '../src/discord/stream.js';
import type { BotContext } from '../src/discord/context.js';
import type { Answer } from '../src/answering.js';
import { langOption } from './options.js';
import type { Command } from './types.js';

export const MAX_QUESTION_LENGTH = 300;

const data = new SlashCommandBuilder()
  .setName('ask')
  .setNameLocalizations({ fr: 'question' })
  .setDescription('Ask a question about the news articles')
  .setDescriptionLocalizations({ fr: 'Poser une question sur les articles' })
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .addStringOption((o) =>
    o
      .setName('question')
      .setNameLocalizations({ fr: 'question' })
      .setDescription('Your question, in French or English')
      .setDescriptionLocalizations({ fr: 'Votre question, en français ou en anglais' })
      .setRequired(true)
      .setMaxLength(MAX_QUESTION_LENGTH),
  )
  .addStringOption(langOption({ en: 'Answer language (default: the language of your question)', fr: 'Langue de la réponse (par défaut : celle de la question)' }))
  .addBooleanOption((o) =>
    o
      .setName('private')
      .setNameLocalizations({ fr: 'privé' })
      .setDescription('Only you see the answer')
      .setDescriptionLocalizations({ fr: 'Vous seul voyez la réponse' }),
  );

const ask: Command = {
  data,
  async execute(interaction, ctx) {
    const uiLang = langOfLocale(interaction.locale);
    const question = interaction.options.getString('question', true);
    const asked = interaction.options.getString('lang');
    const lang: Lang | null = isLang(asked) ? asked : null;
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    const wait = await ctx.limiter.wait(interaction.user.id);
    if (wait > 0) {
      await interaction.reply({ ...renderNotice(messages(uiLang).bot.rateLimited(wait)), flags: MessageFlags.Ephemeral });
      return;
    }
    // Extractive answers take milliseconds: reply at once. A generated one takes seconds:
    // defer first (the ephemeral choice is made now), then stream it into the reply.
    const preview = ctx.engine.ask(question, { lang, fallbackLang: uiLang });
    const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
    if (!ctx.answering.willGenerate(preview.found)) {
      await interaction.reply({ ...answerPayload(ctx, preview, question, interaction.user.id), flags });
      return;
    }
    await interaction.deferReply({ flags });
    const answer = await streamAnswer(ctx, question, { lang, fallbackLang: uiLang, userId: interaction.user.id, extractive: preview }, (payload) => interaction.editReply(payload));
    await interaction.editReply(answerPayload(ctx, answer, question, interaction.user.id));
  },

  async button(interaction, ctx) {
    const uiLang = langOfLocale(interaction.locale);
    const t = messages(uiLang).bot;
    const [, action, key, arg] = interaction.customId.split(':');
    const session = key ? ctx.sessions.get(key) : undefined;
    if (!session) {
      await interaction.reply({ ...renderNotice(t.expired), flags: MessageFlags.Ephemeral });
      return;
    }
    if (action === 'orig') {
      const article = (session.article ? ctx.engine.byId.get(session.article) : undefined);
      if (!article || session.paragraph === undefined || !article.paragraphs[session.paragraph]) {
        await interaction.reply({ ...renderNotice(t.expired), flags: MessageFlags.Ephemeral });
        return;
      }
      await interaction.reply({ ...renderOriginal(article, session.paragraph, uiLang), flags: MessageFlags.Ephemeral });
      return;
    }
    if (action === 'lang' && isLang(arg)) {
      // The asker switches their own answer; anyone else gets the other language for themselves.
      const own = interaction.user.id === session.userId;
      const preview = ctx.engine.ask(session.question, { lang: arg });
      if (!ctx.answering.willGenerate(preview.found)) {
        const payload = answerPayload(ctx, preview, session.question, session.userId);
        if (own) await interaction.update(payload);
        else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
        return;
      }
      if (own) await interaction.deferUpdate();
      else await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const answer = await ctx.answering.ask(session.question, { lang: arg, userId: interaction.user.id, extractive: preview });
      await interaction.editReply(answerPayload(ctx, answer, session.question, session.userId));
      return;
    }
    if (action === 'vote' && (arg === 'up' || arg === 'down')) {
      const counts = ctx.feedback.record(key!, interaction.user.id, arg);
      ctx.log.info({ interaction: interaction.id, answer: key, vote: arg, article: session.article, paragraph: session.paragraph, totals: ctx.feedback.totals }, 'feedback');
      await interaction.reply({ ...renderNotice(`${t.feedbackThanks} ${t.feedbackCounts(counts.up, counts.down)}`), flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.reply({ ...renderNotice(t.expired), flags: MessageFlags.Ephemeral });
  },
};

/** Remember the answer for its buttons and render it. */
function answerPayload(ctx: BotContext, answer: Answer, question: string, userId: string) {
  const key = ctx.sessions.remember({ question, lang: answer.lang, article: answer.citation?.article, paragraph: answer.citation?.paragraph, userId });
  ctx.log.info({ found: answer.found, mode: answer.mode, fallback: answer.fallback, lang: answer.lang, article: answer.citation?.article, paragraph: answer.citation?.paragraph }, 'ask');
  return renderAnswer(answer, key, ctx.engine.byId);
}

/** A generated answer streamed into the deferred reply, about one edit per 1.5 s. */
async function streamAnswer(
  ctx: BotContext,
  question: string,
  request: { lang: Lang | null; fallbackLang: Lang; userId: string; extractive: Answer },
  edit: (payload: ReturnType<typeof renderPartial>) => Promise<unknown>,
): Promise<Answer> {
  const lang = request.lang ?? request.fallbackLang;
  const editor = new ThrottledEditor((text) => edit(renderPartial(question, text, lang)), 1500, (err) => ctx.log.warn({ err }, 'streaming edit failed'));
  try {
    return await ctx.answering.ask(question, { ...request, onText: (soFar) => editor.push(soFar) });
  } finally {
    await editor.close();
  }
}

export default ask;
