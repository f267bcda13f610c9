import { escapeMarkdown } from 'discord.js';

/**
 * User text echoed back: markdown escaped, and mentions broken with a zero-width space so
 * they stay inert even where allowed_mentions is not applied (embeds never ping, content might).
 */
export function echo(text: string): string {
  return escapeMarkdown(text)
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<([@#][!&]?)(\d+)>/g, '<$1\u200b$2>');
}

/** A link Discord will not preview. */
export const noPreview = (url: string) => `<${url}>`;
