import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { messages } from '../src/i18n/messages.js';
import { langOfLocale } from '../src/discord/context.js';
import { isOperator } from '../src/discord/permissions.js';
import { renderNotice, renderReload } from '../src/discord/render.js';
import type { Command } from './types.js';

const data = new SlashCommandBuilder()
  .setName('reload')
  .setNameLocalizations({ fr: 'recharger' })
  .setDescription('Reload the articles after adding or editing them (operators)')
  .setDescriptionLocalizations({ fr: 'Recharger les articles après ajout ou modification (opérateurs)' })
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild);

const reload: Command = {
  data,
  async execute(interaction, ctx) {
    const uiLang = langOfLocale(interaction.locale);
    const t = messages(uiLang).bot;
    if (!isOperator(interaction, ctx.config)) {
      ctx.log.info({ interaction: interaction.id, user: interaction.user.id }, 'reload refused: not an operator');
      await interaction.reply({ ...renderNotice(t.notOperator), flags: MessageFlags.Ephemeral });
      return;
    }
    // Loading and indexing may take longer than Discord's 3 s: acknowledge first.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    try {
      if (ctx.shards) {
        // Under a ShardingManager: this shard reloads (and writes the index cache), then every other one.
        const sharded = await ctx.shards.reloadAll();
        const { report } = sharded;
        ctx.log.info({ interaction: interaction.id, swapped: report.swapped, fromCache: report.stats.fromCache, added: report.added, removed: report.removed, changed: report.changed, errors: report.stats.errors, shards: sharded.shards }, 'reload');
        await interaction.editReply(renderReload(report, uiLang, sharded));
        return;
      }
      const report = await ctx.reloader.reload();
      ctx.log.info({ interaction: interaction.id, swapped: report.swapped, added: report.added, removed: report.removed, changed: report.changed, errors: report.stats.errors }, 'reload');
      await interaction.editReply(renderReload(report, uiLang));
    } catch (err) {
      ctx.log.error({ interaction: interaction.id, err }, 'reload failed');
      await interaction.editReply(renderNotice(t.reloadError((err as Error).message)));
    }
  },
};

export default reload;
