import ask from './ask.js';
import reload from './reload.js';
import summary from './summary.js';
import { isCommand, type Command } from './types.js';

/** Every slash command, keyed by name. */
export function loadCommands(): Map<string, Command> {
  const map = new Map<string, Command>();
  for (const command of [ask, summary, reload]) if (isCommand(command)) map.set(command.data.name, command);
  return map;
}

export type { Command };
