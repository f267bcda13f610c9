import { Client, Events, GatewayIntentBits, Options } from 'discord.js';
import type { Command } from '../../commands/types.js';
import type { BotContext } from './context.js';
import { routeInteraction } from './router.js';

export interface BotOptions {
  token: string;
  /** REST base (`DISCORD_API_URL`); the gateway address is discovered through it. */
  apiUrl?: string;
  commands: Map<string, Command>;
  ctx: BotContext;
}

/**
 * The Discord client: Guilds intent only (slash commands need nothing more), mentions off for
 * every message, and every interaction routed to its command.
 */
export function createBot(options: BotOptions): { client: Client; start(): Promise<void>; stop(): Promise<void> } {
  const { ctx } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [], repliedUser: false },
    // Interactions bring their own user and member: caching every one would grow without end
    // on a busy server. Keep a bounded few, and the bot's own member (permissions).
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      ReactionManager: 0,
      UserManager: { maxSize: 500, keepOverLimit: (user) => user.id === user.client.user.id },
      GuildMemberManager: { maxSize: 500, keepOverLimit: (member) => member.id === member.client.user.id },
    }),
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  });
  client.on(Events.InteractionCreate, (interaction) => {
    void routeInteraction(interaction, options.commands, ctx);
  });
  client.once(Events.ClientReady, (c) => ctx.log.info({ user: c.user.tag, guilds: c.guilds.cache.size }, 'connected to Discord'));
  client.on(Events.Error, (err) => ctx.log.error({ err }, 'discord client error'));
  client.on(Events.ShardError, (err, shard) => ctx.log.warn({ err, shard }, 'gateway connection error'));
  client.on(Events.ShardDisconnect, (event, shard) => ctx.log.warn({ code: event.code, shard }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard) => ctx.log.info({ shard }, 'gateway resumed'));
  client.on(Events.Warn, (message) => ctx.log.warn({ message }, 'discord warning'));
  return {
    client,
    async start() {
      await client.login(options.token);
    },
    async stop() {
      await client.destroy();
    },
  };
}
