import { once } from 'node:events';
import zlib from 'node:zlib';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  type ClientOptions,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startDiscordServer, type DiscordTestServer, type StartDiscordServerOptions } from './server.js';

const APP_ID = '1100000000000000001';
const GUILD_ID = '1200000000000000001';
const CHANNEL_ID = '1300000000000000001';
const USER_ID = '1400000000000000001';
const MOD_ROLE_ID = '1500000000000000001';

const options: StartDiscordServerOptions = {
  defaultWaitTimeoutMs: 2000,
  applicationId: APP_ID,
  botUser: { id: APP_ID, username: 'actu-bot' },
  defaultUser: { id: USER_ID, username: 'alice', globalName: 'Alice' },
  guilds: [
    {
      id: GUILD_ID,
      name: 'Newsroom',
      preferredLocale: 'fr',
      roles: [{ id: MOD_ROLE_ID, name: 'Moderator', permissions: (1n << 5n).toString() }],
      channels: [{ id: CHANNEL_ID, name: 'general' }],
      members: [{ user: { id: USER_ID, username: 'alice', globalName: 'Alice' }, roles: ['Moderator'] }],
    },
  ],
};

/** A promise plus its resolver, to await something a listener does. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

let server: DiscordTestServer | null = null;
let client: Client | null = null;

afterEach(async () => {
  await client?.destroy();
  client = null;
  await server?.close();
  server = null;
});

/** Starts the server and a real discord.js client logged into it; `errors` collects client/shard errors. */
async function startBot(
  extra: StartDiscordServerOptions = {},
  clientOptions: Partial<ClientOptions> = {},
): Promise<{ server: DiscordTestServer; client: Client; errors: unknown[] }> {
  server = await startDiscordServer({ ...options, ...extra });
  client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: server.apiUrl },
    allowedMentions: { parse: [] },
    ...clientOptions,
  });
  const errors: unknown[] = [];
  client.on(Events.Error, (error) => errors.push(error));
  client.on(Events.ShardError, (error) => errors.push(error));
  const ready = once(client, Events.ClientReady);
  await client.login('fake-token');
  await ready;
  return { server, client, errors };
}

describe('fake Discord server', () => {
  it('GIVEN a discord.js client WHEN it logs in with a fake token THEN it gets READY and caches the guild', async () => {
    const { server, client, errors } = await startBot();
    await server.waitForReady();

    expect(client.user?.id).toBe(APP_ID);
    expect(client.application?.id).toBe(APP_ID);
    const guild = client.guilds.cache.get(GUILD_ID);
    expect(guild?.available).toBe(true);
    expect(guild?.name).toBe('Newsroom');
    expect(guild?.preferredLocale).toBe('fr');
    expect(guild?.channels.cache.get(CHANNEL_ID)?.name).toBe('general');
    expect(guild?.roles.cache.get(MOD_ROLE_ID)?.name).toBe('Moderator');
    expect(guild?.members.me?.id).toBe(APP_ID);

    expect(server.gateway.identifies).toHaveLength(1);
    expect(server.gateway.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds);
    expect(server.gateway.identifies[0]?.compress).toBe(false);
    const gatewayRequest = server.requests.find((r) => r.path === '/gateway/bot');
    expect(gatewayRequest?.authScheme).toBe('Bot');
    expect(gatewayRequest?.headers.authorization).toBeUndefined();
    expect(gatewayRequest?.status).toBe(200);
    expect(errors).toEqual([]);
  });

  it('GIVEN raw HTTP calls WHEN auth is missing or the route is unknown THEN Discord-like 401/404 JSON errors come back', async () => {
    server = await startDiscordServer(options);

    const noAuth = await fetch(`${server.apiUrl}/v10/users/@me`);
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toEqual({ message: '401: Unauthorized', code: 0 });

    const bearer = await fetch(`${server.apiUrl}/v10/users/@me`, { headers: { authorization: 'Bearer x' } });
    expect(bearer.status).toBe(401);
    await bearer.body?.cancel();

    const me = await fetch(`${server.apiUrl}/v10/users/@me`, { headers: { authorization: 'Bot abc' } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: APP_ID, username: 'actu-bot', bot: true });

    const unknown = await fetch(`${server.apiUrl}/v10/nope/123`, { headers: { authorization: 'Bot abc' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: '404: Not Found', code: 0 });
  });

  it('GIVEN registered commands and a reply listener WHEN a slash command arrives THEN the callback is a type 4 reply with the option and no mentions', async () => {
    const { server, client, errors } = await startBot();
    await client.application!.commands.set(
      [
        {
          name: 'ping',
          description: 'Ping the bot',
          descriptionLocalizations: { fr: 'Tester le bot' },
          options: [{ name: 'word', description: 'Word to echo', type: 3, required: true }],
        },
      ],
      GUILD_ID,
    );
    const [registered] = server.commands(GUILD_ID);
    expect(registered).toMatchObject({ name: 'ping', application_id: APP_ID, guild_id: GUILD_ID });

    const seen = deferred<Interaction>();
    client.on(Events.InteractionCreate, async (interaction) => {
      seen.resolve(interaction);
      if (!interaction.isChatInputCommand() || interaction.commandName !== 'ping') return;
      await interaction.reply({ content: `pong ${interaction.options.getString('word', true)} <@${interaction.user.id}>` });
    });

    const sent = server.sendInteraction(server.slashCommand({ name: 'ping', options: { word: 'hello' }, locale: 'fr' }));
    const callback = await server.waitForCallback(sent.id);

    expect(callback.type).toBe(4);
    expect(callback.data?.content).toBe(`pong hello <@${USER_ID}>`);
    expect(callback.data?.allowed_mentions).toEqual({ parse: [] });
    expect(callback.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(callback.elapsedMs).toBeLessThan(3000);

    const interaction = await seen.promise;
    expect(interaction.isChatInputCommand() && interaction.commandId).toBe(registered?.id);
    expect(interaction.locale).toBe('fr');
    expect(interaction.guildLocale).toBe('fr');
    expect(interaction.inCachedGuild() && interaction.member.roles.cache.has(MOD_ROLE_ID)).toBe(true);
    expect(interaction.memberPermissions?.has('ManageGuild')).toBe(true);

    const [original] = server.messages(sent.token);
    expect(original?.kind).toBe('original');
    expect(original?.message).toMatchObject({ type: 20, channel_id: CHANNEL_ID, mentions: [], webhook_id: APP_ID });
    expect(original?.message.author.id).toBe(APP_ID);
    expect(errors).toEqual([]);
  });

  it('GIVEN a listener that defers then edits WHEN a slash command arrives THEN a type 5 callback and an edit of @original are recorded', async () => {
    const { server, client, errors } = await startBot();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: `answer: ${interaction.options.getString('q') ?? ''}` });
      await interaction.followUp({ content: 'sources: none' });
    });

    const sent = server.sendInteraction(server.slashCommand({ name: 'ask', options: { q: 'quoi de neuf ?' } }));
    const callback = await server.waitForCallback(sent.id);
    expect(callback.type).toBe(5);
    expect(callback.data?.flags).toBe(64);

    const messages = await server.waitForMessages(sent.token, (list) => list.length === 2);
    const [original, followUp] = messages;
    expect(original?.revisions.map((r) => r.action)).toEqual(['defer', 'edit']);
    expect(original?.revisions[0]?.message.flags).toBe(64 | 128);
    expect(original?.message.content).toBe('answer: quoi de neuf ?');
    expect(original?.message.flags).toBe(64);
    expect(followUp).toMatchObject({ kind: 'followup', message: { content: 'sources: none' } });
    const edit = await server.waitForRequest({ method: 'PATCH', pathPattern: `/webhooks/${APP_ID}/${sent.token}/messages/@original` });
    expect(edit.authScheme).toBeNull();
    expect(edit.body).toMatchObject({ content: 'answer: quoi de neuf ?', allowed_mentions: { parse: [] } });
    expect(errors).toEqual([]);
  });

  it('GIVEN a button listener calling update WHEN the button is clicked THEN a type 7 callback updates the component message', async () => {
    const { server, client, errors } = await startBot();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('more').setLabel('More').setStyle(ButtonStyle.Primary),
        );
        await interaction.reply({ content: 'page 1', components: [row] });
      } else if (interaction.isButton()) {
        await interaction.update({ content: `page 2 (${interaction.customId})`, components: [] });
      }
    });

    const command = server.sendInteraction(server.slashCommand({ name: 'news' }));
    await server.waitForCallback(command.id);
    const [reply] = server.messages(command.token);
    expect(reply?.message.components).toHaveLength(1);

    const click = server.sendInteraction(server.button({ customId: 'more', message: reply!.id }));
    const callback = await server.waitForCallback(click.id);
    expect(callback.type).toBe(7);
    expect(callback.data).toMatchObject({ content: 'page 2 (more)', components: [] });

    const [updated] = server.messages(click.token);
    expect(updated?.id).toBe(reply?.id);
    expect(updated?.revisions.map((r) => r.action)).toEqual(['create', 'update']);
    expect(updated?.message.content).toBe('page 2 (more)');
    expect(updated?.message.edited_timestamp).not.toBeNull();
    expect(server.messages(command.token)[0]?.message.content).toBe('page 2 (more)');
    expect(errors).toEqual([]);
  });

  it('GIVEN an autocomplete listener WHEN the user types THEN a type 8 callback carries the choices', async () => {
    const { server, client } = await startBot();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const typed = interaction.options.getFocused();
      await interaction.respond([{ name: `${typed}-1`, value: `${typed}-1` }]);
    });

    const sent = server.sendInteraction(server.autocomplete({ name: 'ask', options: { topic: 'eco' } }));
    const callback = await server.waitForCallback(sent.id);
    expect(callback.type).toBe(8);
    expect(callback.data).toEqual({ choices: [{ name: 'eco-1', value: 'eco-1' }] });
  });

  it('GIVEN failNext with a 500 on the callback WHEN the bot replies THEN interaction.reply rejects and the client keeps working', async () => {
    const { server, client, errors } = await startBot();
    const failures: unknown[] = [];
    const failed = deferred<void>();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      try {
        await interaction.reply({ content: 'pong' });
      } catch (error) {
        failures.push(error);
        failed.resolve();
      }
    });

    // @discordjs/rest retries 5xx three times, so four answers must fail.
    const fault = server.failNext({ method: 'POST', pathPattern: '/interactions/:id/:token/callback', status: 500, times: 4 });
    const first = server.sendInteraction(server.slashCommand({ name: 'ping' }));
    await failed.promise;
    expect(failures[0]).toBeInstanceOf(HTTPError);
    expect((failures[0] as HTTPError).status).toBe(500);
    expect(fault.hits).toBe(4);
    expect(server.requests.filter((r) => r.path.startsWith(`/interactions/${first.id}/`)).map((r) => r.status)).toEqual([500, 500, 500, 500]);
    expect(server.callbacks).toEqual([]);

    // A 4xx is not retried and surfaces as a DiscordAPIError with Discord's code.
    const failedAgain = deferred<void>();
    client.removeAllListeners(Events.InteractionCreate);
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: 'pong' }).catch((error: unknown) => {
        failures.push(error);
        failedAgain.resolve();
      });
    });
    server.failNext({ pathPattern: '/interactions/*', status: 404, body: { message: 'Unknown interaction', code: 10062 } });
    server.sendInteraction(server.slashCommand({ name: 'ping' }));
    await failedAgain.promise;
    expect(failures[1]).toBeInstanceOf(DiscordAPIError);
    expect((failures[1] as DiscordAPIError).code).toBe(10062);

    const ok = server.sendInteraction(server.slashCommand({ name: 'ping' }));
    expect((await server.waitForCallback(ok.id)).data?.content).toBe('pong');
    expect(client.isReady()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('GIVEN Discord limits WHEN the bot replies too long or twice THEN the API errors like Discord (50035, 40060)', async () => {
    const { server, client } = await startBot();
    const outcome = deferred<unknown[]>();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const caught: unknown[] = [];
      await interaction.reply({ content: 'x'.repeat(2001) }).catch((e: unknown) => caught.push(e));
      await interaction.reply({ content: 'short' });
      // Second acknowledgement, bypassing discord.js's own guard.
      await client.rest
        .post(`/interactions/${interaction.id}/${interaction.token}/callback`, { body: { type: 4, data: { content: 'again' } }, auth: false })
        .catch((e: unknown) => caught.push(e));
      outcome.resolve(caught);
    });

    const sent = server.sendInteraction(server.slashCommand({ name: 'ping' }));
    const [tooLong, twice] = (await outcome.promise) as DiscordAPIError[];
    expect(tooLong?.code).toBe(50035);
    expect(tooLong?.message).toContain('data.content[BASE_TYPE_MAX_LENGTH]');
    expect(twice?.code).toBe(40060);
    expect(server.callbacks.filter((c) => c.interactionId === sent.id).map((c) => c.data?.content)).toEqual(['short']);
  });

  it('GIVEN a connected client WHEN the connection drops and an interaction is sent meanwhile THEN the client resumes and handles the replayed interaction', async () => {
    const { server, client, errors } = await startBot();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'back' });
    });
    const resumed = once(client, Events.ShardResume);

    await server.dropConnection();
    expect(server.gateway.connected).toBe(0);
    const sent = server.sendInteraction(server.slashCommand({ name: 'ping' }));

    const [, replayed] = (await resumed) as [number, number];
    expect(replayed).toBeGreaterThanOrEqual(1);
    const callback = await server.waitForCallback(sent.id);
    expect(callback.data?.content).toBe('back');
    expect(server.gateway.resumeCount).toBe(1);
    expect(server.gateway.identifies).toHaveLength(1);
    expect(server.gateway.received.find((p) => p.op === 6)?.d).toMatchObject({ token: '[redacted]' });
    expect(errors).toEqual([]);
  });

  it('GIVEN a connected client WHEN the server asks it to reconnect (op 7) THEN it resumes the same session', async () => {
    const { server, client } = await startBot();
    const resumed = once(client, Events.ShardResume);
    server.requestReconnect();
    await resumed;
    await server.waitForResume();
    expect(server.gateway.sessions).toHaveLength(1);
    expect(server.gateway.sessions[0]?.connected).toBe(true);
    expect(client.ws.status).toBe(0); // Status.Ready
  });

  it('GIVEN a non-resumable INVALID_SESSION WHEN the client reconnects THEN it identifies a new session and keeps working', async () => {
    // @discordjs/ws spaces identifies 5 s apart; a no-op throttler keeps the test fast.
    const { server, client, errors } = await startBot({}, { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } });
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'new session' });
    });
    const firstSession = server.gateway.sessions[0]?.id;
    server.invalidateSession(false);
    await server.waitForReady({ count: 2 });
    const sessions = server.gateway.sessions;
    expect(sessions).toHaveLength(2);
    expect(sessions.find((s) => s.id === firstSession)?.invalid).toBe(true);

    const sent = server.sendInteraction(server.slashCommand({ name: 'ping' }));
    expect((await server.waitForCallback(sent.id)).data?.content).toBe('new session');
    expect(server.gateway.identifies).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('GIVEN withResponse and modals WHEN the bot answers THEN the callback response object and the modal are recorded', async () => {
    const { server, client } = await startBot();
    const responses: unknown[] = [];
    const done = deferred<void>();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand() && interaction.commandName === 'feedback') {
        await interaction.showModal(
          new ModalBuilder()
            .setCustomId('feedback-modal')
            .setTitle('Feedback')
            .addComponents(
              new ActionRowBuilder<TextInputBuilder>().addComponents(
                new TextInputBuilder().setCustomId('text').setLabel('Your feedback').setStyle(TextInputStyle.Paragraph),
              ),
            ),
        );
      } else if (interaction.isChatInputCommand()) {
        const response = await interaction.reply({ content: 'with response', withResponse: true });
        responses.push(response.resource?.message?.content);
        done.resolve();
      } else if (interaction.isModalSubmit()) {
        await interaction.reply({ content: `thanks: ${interaction.fields.getTextInputValue('text')}`, flags: MessageFlags.Ephemeral });
      }
    });

    const plain = server.sendInteraction(server.slashCommand({ name: 'ping' }));
    await done.promise;
    expect(responses).toEqual(['with response']);
    expect((await server.waitForCallback(plain.id)).withResponse).toBe(true);

    const command = server.sendInteraction(server.slashCommand({ name: 'feedback' }));
    const modal = await server.waitForCallback(command.id);
    expect(modal.type).toBe(9);
    expect(modal.data).toMatchObject({ custom_id: 'feedback-modal', title: 'Feedback' });

    const submit = server.sendInteraction(server.modalSubmit({ customId: 'feedback-modal', fields: { text: 'great' } }));
    const reply = await server.waitForCallback(submit.id);
    expect(reply.data).toMatchObject({ content: 'thanks: great', flags: 64 });
  });

  it('GIVEN invalid command definitions WHEN the bot registers them THEN Discord-like 50035 errors come back and nothing is stored', async () => {
    const { server, client } = await startBot();
    const error = await client
      .application!.commands.set([
        { name: 'Ask', description: 'Ask', descriptionLocalizations: { 'fr-FR': 'Demander' } as Record<string, string> },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
    expect((error as DiscordAPIError).message).toContain('0.name[APPLICATION_COMMAND_INVALID_NAME]');
    expect((error as DiscordAPIError).message).toContain('0.description_localizations.fr-FR[LOCALE_INVALID]');
    expect(server.commands()).toEqual([]);
  });

  it('GIVEN a 0 ms interaction deadline WHEN the bot replies THEN the callback fails with Unknown interaction (10062)', async () => {
    const { server, client } = await startBot({ interactionTimeoutMs: 0 });
    const outcome = deferred<unknown>();
    client.on(Events.InteractionCreate, async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'late' }).then(outcome.resolve, outcome.resolve);
    });
    server.sendInteraction(server.slashCommand({ name: 'ping' }));
    const error = await outcome.promise;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(10062);
    expect(server.callbacks).toEqual([]);
  });

  it('GIVEN a DM interaction WHEN the bot replies THEN the payload has a user and a DM channel', async () => {
    const { server, client } = await startBot();
    const seen = deferred<Interaction>();
    client.on(Events.InteractionCreate, async (interaction) => {
      seen.resolve(interaction);
      if (interaction.isChatInputCommand()) await interaction.reply({ content: 'dm ok' });
    });
    const sent = server.sendInteraction(server.slashCommand({ name: 'ping', guildId: null }));
    expect(sent.payload.user?.id).toBe(USER_ID);
    expect(sent.payload.member).toBeUndefined();
    expect((await server.waitForCallback(sent.id)).data?.content).toBe('dm ok');
    const interaction = await seen.promise;
    expect(interaction.guildId).toBeNull();
    expect(interaction.user.id).toBe(USER_ID);
  });

  it('GIVEN a raw client asking for zlib-stream WHEN it connects THEN HELLO arrives compressed', async () => {
    server = await startDiscordServer(options);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}?v=10&encoding=json&compress=zlib-stream`);
    const [data] = (await once(ws, 'message')) as [Buffer];
    const hello = JSON.parse(zlib.inflateSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8')) as { op: number; d: { heartbeat_interval: number } };
    expect(hello.op).toBe(10);
    expect(hello.d.heartbeat_interval).toBe(41250);
    const closed = once(ws, 'close');
    ws.close();
    await closed;
  });
});
