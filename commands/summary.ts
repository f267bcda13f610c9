import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { messages } from '../src/i18n/messages.js';
import { isLang, type Lang } from '../src/language/lang.js';
import { fold } from '../src/language/normalize.js';
import { langOfLocale } from '../src/discord/context.js';
import { LIMITS, trimText } from '../src/discord/limits.js';
import { isModerator } from '../src/discord/permissions.js';
import { renderNotice, renderSummary } from '../src/discord/render.js';
import { langOption } from './options.js';
import type { Command } from './types.js';

const data = new SlashCommandBuilder()
  .setName('summary')
  .setNameLocalizations({ fr: 'resume' })
  .setDescription('Post a summary of an article (moderators)')
  .setDescriptionLocalizations({ fr: "Publier le résumé d'un article (modérateurs)" })
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages)
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) =>
    o
      .setName('article')
      .setNameLocalizations({ fr: 'article' })
      .setDescription('The article (default: the latest)')
      .setDescriptionLocalizations({ fr: "L'article (par défaut : le plus récent)" })
      .setAutocomplete(true),
  )
  .addStringOption(langOption({ en: 'Summary language (default: yours)', fr: 'Langue du résumé (par défaut : la vôtre)' }));

const summary: Command = {
  data,
  async execute(interaction, ctx) {
    const uiLang = langOfLocale(interaction.locale);
    const t = messages(uiLang).bot;
    if (!interaction.inGuild()) {
      await interaction.reply({ ...renderNotice(t.guildOnly), flags: MessageFlags.Ephemeral });
      return;
    }
    if (!isModerator(interaction)) {
      ctx.log.info({ interaction: interaction.id, user: interaction.user.id }, 'summary refused: not a moderator');
      await interaction.reply({ ...renderNotice(t.notModerator), flags: MessageFlags.Ephemeral });
      return;
    }
    const asked = interaction.options.getString('lang');
    const lang: Lang = isLang(asked) ? asked : uiLang;
    const id = interaction.options.getString('article') ?? ctx.engine.newest(1)[0]?.id;
    const article = (id ? ctx.engine.byId.get(id) : undefined);
    if (!article) {
      await interaction.reply({ ...renderNotice(id ? t.unknownArticle(id) : messages(uiLang).emptyCorpus), flags: MessageFlags.Ephemeral });
      return;
    }
    if (!ctx.answering.willGenerate(true)) {
      await interaction.reply(renderSummary(ctx.engine.summary({ article: article.id, lang }), article, uiLang));
      return;
    }
    // A generated summary takes seconds: acknowledge first, publicly.
    await interaction.deferReply();
    const result = await ctx.answering.summary({ article: article.id, lang });
    await interaction.editReply(renderSummary(result, article, uiLang));
  },

  async autocomplete(interaction, ctx) {
    const typed = fold(interaction.options.getFocused());
    const choices = ctx.engine
      .newest(LIMITS.autocompleteChoices, (a) => !typed || fold(`${a.title} ${a.id}`).includes(typed) || Object.values(a.translations).some((tr) => tr && fold(tr.title).includes(typed)))
      .map((a) => ({ name: trimText(`${a.title}${a.published ? ` (${a.published})` : ''}`, LIMITS.choiceName), value: a.id }));
    await interaction.respond(choices);
  },
};

export default summary;
