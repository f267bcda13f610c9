import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import type { Command } from '../../commands/types.js';
import { messages } from '../i18n/messages.js';
import { langOfLocale, type BotContext } from './context.js';
import { renderNotice } from './render.js';

/**
 * Send an interaction to its command. Any failure becomes an ephemeral message in the user's
 * language and a log line with the interaction id; nothing escapes to take the bot down.
 */
export async function routeInteraction(interaction: Interaction, commands: Map<string, Command>, ctx: BotContext): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) {
      const command = commands.get(interaction.commandName);
      if (!command) throw new Error(`unknown command ${interaction.commandName}`);
      await command.execute(interaction, ctx);
    } else if (interaction.isAutocomplete()) {
      await commands.get(interaction.commandName)?.autocomplete?.(interaction, ctx);
    } else if (interaction.isButton()) {
      const command = commands.get(interaction.customId.split(':')[0] ?? '');
      if (!command?.button) throw new Error(`no handler for button ${interaction.customId}`);
      await command.button(interaction, ctx);
    }
  } catch (err) {
    ctx.log.error({ err, interaction: interaction.id, kind: interaction.type, user: interaction.user?.id }, 'interaction failed');
    if (interaction.isRepliable()) await replyError(interaction, ctx);
  }
}

async function replyError(interaction: RepliableInteraction, ctx: BotContext): Promise<void> {
  const payload = { ...renderNotice(messages(langOfLocale(interaction.locale)).bot.error(interaction.id)), flags: MessageFlags.Ephemeral as const };
  try {
    if (interaction.replied || interaction.deferred) await interaction.followUp(payload);
    else await interaction.reply(payload);
  } catch (err) {
    // The token may be dead (over 3 s, or Discord down): the log line above is all we can do.
    ctx.log.warn({ err, interaction: interaction.id }, 'could not tell the user about the failure');
  }
}
