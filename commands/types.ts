import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../src/discord/context.js';

/** One slash command: its definition for Discord and a thin handler calling the engine. */
export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  /** Buttons whose custom id starts with `<name>:`. */
  button?(interaction: ButtonInteraction, ctx: BotContext): Promise<void>;
}

export function isCommand(value: unknown): value is Command {
  const c = value as Partial<Command> | null;
  return Boolean(c && typeof c === 'object' && c.data && typeof c.data.name === 'string' && typeof c.data.toJSON === 'function' && typeof c.execute === 'function');
}
