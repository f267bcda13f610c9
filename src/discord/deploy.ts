import { REST, Routes } from 'discord.js';
import type { Command } from '../../commands/types.js';

export interface DeployOptions {
  token: string;
  applicationId: string;
  /** Register in one server (instant) rather than globally. */
  guildId?: string;
  apiUrl?: string;
}

/**
 * Register the slash commands through REST. A PUT replaces the whole set, so running it again
 * changes nothing (idempotent) and removes commands that no longer exist.
 */
export async function deployCommands(commands: Iterable<Command>, options: DeployOptions): Promise<{ count: number; scope: string }> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const body = [...commands].map((c) => c.data.toJSON());
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const result = (await rest.put(route, { body })) as unknown[];
  return { count: result.length, scope: options.guildId ? `guild ${options.guildId}` : 'global' };
}
