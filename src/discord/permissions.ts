import { PermissionFlagsBits, type Interaction } from 'discord.js';

export interface OperatorConfig {
  OPERATOR_USER_IDS: string[];
  OPERATOR_ROLE_IDS: string[];
}

/** Role ids of the member behind an interaction, whether discord.js cached the member or not. */
function roleIds(interaction: Interaction): string[] {
  const member = interaction.member;
  if (!member) return [];
  const roles = member.roles as unknown;
  if (Array.isArray(roles)) return roles as string[];
  const cache = (roles as { cache?: Map<string, unknown> }).cache;
  return cache ? [...cache.keys()] : [];
}

/**
 * Moderators may post summaries: Manage Messages in this channel. Checked in code because
 * `default_member_permissions` is only a default that server staff can override.
 */
export function isModerator(interaction: Interaction): boolean {
  return Boolean(interaction.inGuild() && interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages));
}

/** Operators may reload the corpus: a configured user or role, or Manage Server. */
export function isOperator(interaction: Interaction, config: OperatorConfig): boolean {
  if (config.OPERATOR_USER_IDS.includes(interaction.user.id)) return true;
  if (!interaction.inGuild()) return false;
  if (roleIds(interaction).some((id) => config.OPERATOR_ROLE_IDS.includes(id))) return true;
  return Boolean(interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild));
}
