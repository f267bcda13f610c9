import { loadCommands } from '../../commands/index.js';
import { ConfigError, readBotConfig } from '../config.js';
import { deployCommands } from '../discord/deploy.js';
import { createLogger } from '../log.js';

/** `npm run deploy-commands`: register the slash commands (DISCORD_GUILD_ID: one server only). */
export async function deployCommand(): Promise<number> {
  const config = readBotConfig();
  if (!config.DISCORD_CLIENT_ID) throw new ConfigError(['DISCORD_CLIENT_ID: required to register commands (the application id)']);
  const log = createLogger(config.LOG_LEVEL);
  const { count, scope } = await deployCommands(loadCommands().values(), {
    token: config.DISCORD_TOKEN,
    applicationId: config.DISCORD_CLIENT_ID,
    guildId: config.DISCORD_GUILD_ID,
    apiUrl: config.DISCORD_API_URL,
  });
  log.info({ count, scope }, `registered ${count} commands (${scope})`);
  return 0;
}
