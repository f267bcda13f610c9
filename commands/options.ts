import type { SlashCommandStringOption } from 'discord.js';

/** The `lang` option both /ask and /summary take: French or English, localized. */
export function langOption(description: { en: string; fr: string }) {
  return (o: SlashCommandStringOption) =>
    o
      .setName('lang')
      .setNameLocalizations({ fr: 'langue' })
      .setDescription(description.en)
      .setDescriptionLocalizations({ fr: description.fr })
      .addChoices(
        { name: 'Français', value: 'fr', name_localizations: { fr: 'Français', 'en-US': 'French', 'en-GB': 'French' } },
        { name: 'English', value: 'en', name_localizations: { fr: 'Anglais', 'en-US': 'English', 'en-GB': 'English' } },
      );
}
