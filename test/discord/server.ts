/**
 * A fake Discord (REST API v10 + Gateway v10) for end-to-end tests of a discord.js 14 bot.
 *
 * A real `discord.js` Client can log in against it with any token:
 *
 *   const server = await startDiscordServer({ guilds: [{ id: '1', name: 'Test' }] });
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: server.apiUrl } });
 *   await client.login('fake-token');
 *   const { id } = server.sendInteraction(server.slashCommand({ name: 'ask', options: { question: 'hi' } }));
 *   const callback = await server.waitForCallback(id);
 *
 * What is emulated (close to what discord.com does):
 * - REST under `/api/v10`: gateway discovery, `users/@me`, `applications/@me`, global and guild
 *   application commands (stored and validated), interaction callbacks (types 4-9), the
 *   interaction webhook (`@original`, follow-ups, edits, deletes), a few channel/guild routes.
 *   `Authorization: Bot <token>` is required on bot routes (401 otherwise); the interaction
 *   callback and webhook routes are authenticated by their token, as on Discord.
 *   Errors use Discord's JSON shape (`{ message, code }`, `Invalid Form Body` with `errors`).
 *   Interactions must be acknowledged once (40060), within `interactionTimeoutMs` (10062).
 * - Gateway (JSON encoding, optional `zlib-stream` transport compression or identify compression):
 *   HELLO, heartbeats, IDENTIFY → READY + GUILD_CREATE, sequence numbers, RESUME with replay of
 *   missed dispatches, RECONNECT / INVALID_SESSION, REQUEST_GUILD_MEMBERS.
 * - Sharding: IDENTIFY's `shard: [id, count]` is honoured. A session only hears of the guilds
 *   whose `(guild_id >> 22) % count` is its id (READY, GUILD_CREATE, interactions and other
 *   guild dispatches); direct messages go to shard 0. `GET /gateway/bot` reports
 *   `recommendedShards` and `maxConcurrency`.
 * - Fault injection: `failNext({ method, pathPattern, status, body, times, delayMs })`.
 *
 * Not emulated: rate limits (unless injected), channel permission overwrites, ETF encoding,
 * voice.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

export const InteractionType = {
  Ping: 1,
  ApplicationCommand: 2,
  MessageComponent: 3,
  ApplicationCommandAutocomplete: 4,
  ModalSubmit: 5,
} as const;

export const InteractionCallbackType = {
  Pong: 1,
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredMessageUpdate: 6,
  UpdateMessage: 7,
  ApplicationCommandAutocompleteResult: 8,
  Modal: 9,
  LaunchActivity: 12,
} as const;

export const CommandOptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

export const MessageFlags = {
  SuppressEmbeds: 1 << 2,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;

const GatewayOp = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
  RequestSoundboardSounds: 31,
} as const;

/** Every permission bit Discord currently defines (bits 0..52). */
export const ALL_PERMISSIONS = ((1n << 53n) - 1n).toString();
const ADMINISTRATOR = 1n << 3n;
const P = {
  CreateInstantInvite: 1n << 0n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  ChangeNickname: 1n << 26n,
  UseApplicationCommands: 1n << 31n,
  SendMessagesInThreads: 1n << 38n,
};
/** Default `@everyone` permissions of a new guild (roughly what Discord gives). */
export const DEFAULT_EVERYONE_PERMISSIONS = (
  P.CreateInstantInvite |
  P.AddReactions |
  P.ViewChannel |
  P.SendMessages |
  P.EmbedLinks |
  P.AttachFiles |
  P.ReadMessageHistory |
  P.UseExternalEmojis |
  P.Connect |
  P.Speak |
  P.ChangeNickname |
  P.UseApplicationCommands |
  P.SendMessagesInThreads
).toString();
/** Default permissions of the bot's managed role. */
export const DEFAULT_BOT_PERMISSIONS = (
  P.AddReactions |
  P.ViewChannel |
  P.SendMessages |
  P.EmbedLinks |
  P.AttachFiles |
  P.ReadMessageHistory |
  P.UseApplicationCommands |
  P.SendMessagesInThreads
).toString();

/** Locales Discord accepts in `*_localizations` and as a user/guild locale. */
export const DISCORD_LOCALES = [
  'id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no',
  'pl', 'pt-BR', 'ro', 'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th',
  'zh-CN', 'ja', 'zh-TW', 'ko',
] as const;
const LOCALE_SET = new Set<string>(DISCORD_LOCALES);

// ---------------------------------------------------------------------------------------------
// Exported types
// ---------------------------------------------------------------------------------------------

/** A loosely typed JSON object (Discord payloads are mostly snake_case). */
export type ApiObject = Record<string, unknown>;

export interface UserInput {
  id?: string;
  username?: string;
  globalName?: string | null;
  avatar?: string | null;
  bot?: boolean;
  discriminator?: string;
}

export interface ApiUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  public_flags: number;
  flags: number;
  bot?: boolean;
  avatar_decoration_data: null;
  primary_guild: null;
  [key: string]: unknown;
}

export interface RoleInput {
  id?: string;
  name: string;
  /** Permission bitfield as a decimal string (or bigint). */
  permissions?: string | bigint;
  color?: number;
  position?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

export interface ChannelInput {
  id?: string;
  name: string;
  /** Discord channel type; 0 = text (default), 2 = voice, 4 = category, 5 = announcement, 15 = forum. */
  type?: number;
  parentId?: string | null;
  topic?: string | null;
  position?: number;
  nsfw?: boolean;
}

export interface MemberInput {
  user: UserInput;
  /** Role ids or role names of this guild. */
  roles?: string[];
  nick?: string | null;
  joinedAt?: string;
}

export interface GuildInput {
  id?: string;
  name?: string;
  ownerId?: string;
  preferredLocale?: string;
  everyonePermissions?: string | bigint;
  roles?: RoleInput[];
  /** Defaults to a single text channel named `general`. */
  channels?: ChannelInput[];
  members?: MemberInput[];
  /** Permissions of the bot's managed role in this guild (default {@link DEFAULT_BOT_PERMISSIONS}). */
  botPermissions?: string | bigint;
  features?: string[];
}

export interface StartDiscordServerOptions {
  applicationId?: string;
  botUser?: UserInput;
  /** When set, only this token is accepted (REST `Bot <token>` and gateway IDENTIFY). Otherwise any non-empty token is. */
  token?: string;
  /** Defaults to one guild `Test Guild` with a `general` text channel. */
  guilds?: GuildInput[];
  /** The user who triggers interactions unless a builder says otherwise; added as a member of every guild. */
  defaultUser?: UserInput;
  /** Default interaction `locale` (default 'en-US'). */
  defaultLocale?: string;
  /** HELLO heartbeat_interval (default 41250 like Discord). */
  heartbeatIntervalMs?: number;
  /** Callback deadline measured from dispatch (default 3000 like Discord); `null` disables it. */
  interactionTimeoutMs?: number | null;
  /** Validate bodies like Discord does (content length, embeds, commands...). Default true. */
  validate?: boolean;
  /** `application.flags` in READY and `applications/@me`. */
  applicationFlags?: number;
  /** Intent bits the application is not allowed to use (IDENTIFY is closed with 4014). Default 0. */
  disallowedIntents?: number;
  /** Default timeout of the `waitFor*` helpers (default 5000 ms). */
  defaultWaitTimeoutMs?: number;
  /** `shards` in `GET /gateway/bot`: the shard count Discord recommends (default 1). */
  recommendedShards?: number;
  /** `session_start_limit.max_concurrency` in `GET /gateway/bot` (default 1). */
  maxConcurrency?: number;
}

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string | null;
  size: number;
  data: Buffer;
}

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path below `/api/v10` (e.g. `/interactions/1/abc/callback`); the full path for other URLs. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased request headers without `authorization`. */
  headers: Record<string, string>;
  /** Scheme of the Authorization header (`Bot`, `Bearer`...), or null when absent. Its value is never recorded. */
  authScheme: string | null;
  /** Parsed JSON body (or `payload_json` of a multipart body); undefined when empty. */
  body: unknown;
  files: UploadedFile[];
  receivedAt: number;
  /** HTTP status sent back; null while the request is in flight. */
  status: number | null;
  responseBody: unknown;
  /** True when a `failNext` rule produced the response. */
  faulted: boolean;
}

export interface RecordedCallback {
  interactionId: string;
  interactionToken: string;
  interactionType: number;
  /** Callback type (4 reply, 5 defer, 6 deferred update, 7 update, 8 autocomplete, 9 modal). */
  type: number;
  /** `data` of the callback body (null for 5 without data / 6). */
  data: ApiObject | null;
  body: ApiObject;
  files: UploadedFile[];
  withResponse: boolean;
  receivedAt: number;
  /** Milliseconds from the INTERACTION_CREATE dispatch to the arrival of the callback. */
  elapsedMs: number;
}

export interface ApiMessage {
  id: string;
  channel_id: string;
  type: number;
  content: string;
  author: ApiUser;
  embeds: ApiObject[];
  components: ApiObject[];
  attachments: ApiObject[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  [key: string]: unknown;
}

export interface MessageRevision {
  at: number;
  action: 'create' | 'defer' | 'edit' | 'update' | 'delete';
  /** The request body that caused this revision (undefined for the initial state of foreign messages). */
  body: unknown;
  message: ApiMessage;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  /** original: initial interaction response; followup: webhook follow-up; channel: posted in a channel (or a component's message). */
  kind: 'original' | 'followup' | 'channel';
  interactionId: string | null;
  message: ApiMessage;
  /** revisions[0] is the creation; later entries are edits (and a final delete, if any). */
  revisions: MessageRevision[];
  deleted: boolean;
}

/** A fault-injection rule; see {@link DiscordTestServer.failNext}. */
export interface FaultRule {
  /** HTTP method (case-insensitive); any method when omitted. */
  method?: string;
  /** Path below `/api/v10`: a pattern like `/interactions/:id/:token/callback` (`*` = anything) or a RegExp. */
  pathPattern: string | RegExp;
  /** Status to answer with; when omitted the request is only delayed and then handled normally. */
  status?: number;
  /** Response body (default: Discord-like error for the status). */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests are affected (default 1; `Infinity` for all). */
  times?: number;
  /** Delay before answering (or before normal handling). */
  delayMs?: number;
}

export interface FaultHandle {
  readonly hits: number;
  readonly remaining: number;
  remove(): void;
}

export type OptionValue = string | number | boolean;

export interface CommandOptionInput {
  name: string;
  /** Inferred from the registered command, else from the value's JS type. */
  type?: number;
  value?: OptionValue;
  focused?: boolean;
  options?: CommandOptionInput[];
}

/** Who/where an interaction comes from. `guildId: null` makes a DM interaction. */
export interface InteractionContextInput {
  user?: UserInput;
  guildId?: string | null;
  channelId?: string;
  /** Role ids or names; defaults to the member's configured roles. */
  roles?: string[];
  /** Member permission bitfield as a string; defaults to what the roles grant. */
  permissions?: string;
  /** The bot's permissions (`app_permissions`); defaults to what its roles grant. */
  appPermissions?: string;
  locale?: string;
  guildLocale?: string;
  nick?: string | null;
  /** Force the interaction id / token. */
  id?: string;
  token?: string;
}

export interface SlashCommandInput extends InteractionContextInput {
  name: string;
  options?: CommandOptionInput[] | Record<string, OptionValue>;
  subcommand?: string;
  subcommandGroup?: string;
  commandId?: string;
  /** Merged into `data.resolved`. */
  resolved?: ApiObject;
}

export interface AutocompleteInput extends SlashCommandInput {
  /** Name of the focused option (default: the last option). */
  focused?: string;
}

export interface ComponentInput extends InteractionContextInput {
  customId: string;
  /** The message holding the component: a message object, the id of a stored message, or omitted (a bot message is made up). */
  message?: ApiObject | string;
}

export interface ButtonInput extends ComponentInput {}

export interface SelectMenuInput extends ComponentInput {
  values: string[];
  /** 3 string (default), 5 user, 6 role, 7 mentionable, 8 channel. */
  componentType?: number;
}

export interface ModalSubmitInput extends InteractionContextInput {
  customId: string;
  fields: Record<string, string>;
  message?: ApiObject | string;
}

/** An INTERACTION_CREATE payload. */
export interface InteractionPayload {
  id: string;
  application_id: string;
  type: number;
  token: string;
  version: number;
  data?: ApiObject;
  guild_id?: string;
  channel_id?: string;
  channel?: ApiObject;
  member?: ApiObject;
  user?: ApiUser;
  message?: ApiObject;
  locale?: string;
  guild_locale?: string;
  app_permissions: string;
  entitlements: unknown[];
  authorizing_integration_owners: Record<string, string>;
  context?: number;
  [key: string]: unknown;
}

export interface SentInteraction {
  id: string;
  token: string;
  payload: InteractionPayload;
}

export interface IdentifyRecord {
  at: number;
  intents: number;
  shard: [number, number] | null;
  compress: boolean;
  properties: unknown;
  presence: unknown;
  largeThreshold: number | null;
}

export interface GatewayStats {
  /** Open, authenticated (identified or resumed) connections. */
  connected: number;
  connectionsOpened: number;
  identifies: IdentifyRecord[];
  readyCount: number;
  resumeCount: number;
  heartbeats: number;
  /** `shard` is what the session identified with (`[0, 1]` when it sent none). */
  sessions: Array<{ id: string; seq: number; connected: boolean; invalid: boolean; shard: [number, number] }>;
  /** Payloads received from clients (IDENTIFY/RESUME tokens redacted). */
  received: Array<{ at: number; op: number; d: unknown }>;
}

export interface WaitOptions {
  timeoutMs?: number;
}

export interface RequestMatcher {
  method?: string;
  pathPattern?: string | RegExp;
  status?: number;
  predicate?: (request: RecordedRequest) => boolean;
}

export interface DiscordTestServer {
  /** `http://127.0.0.1:PORT/api` — pass as `rest.api` to the discord.js Client. */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:PORT` */
  readonly gatewayUrl: string;
  readonly port: number;
  readonly applicationId: string;
  readonly botUser: ApiUser;
  readonly defaultUser: ApiUser;
  readonly defaultGuildId: string | null;
  readonly defaultChannelId: string | null;
  /** Snapshot of the guild payloads (as sent in GUILD_CREATE). */
  readonly guilds: ApiObject[];
  /** Accepted interaction callbacks, oldest first. */
  readonly callbacks: RecordedCallback[];
  /** Every HTTP request, oldest first. */
  readonly requests: RecordedRequest[];
  /** Internal errors of the fake itself (a bug in the fake, or a malformed request it choked on). */
  readonly errors: Error[];
  readonly gateway: GatewayStats;

  /** Terminates gateway sockets and HTTP connections, rejects pending waits, frees the port. */
  close(): Promise<void>;
  /** Resolves once `count` (default 1) READY(+GUILD_CREATE) sequences were sent in total. */
  waitForReady(options?: WaitOptions & { count?: number }): Promise<void>;
  /** Resolves once `count` (default 1) RESUMED dispatches were sent in total. */
  waitForResume(options?: WaitOptions & { count?: number }): Promise<void>;

  /**
   * Dispatches INTERACTION_CREATE to every live session of the shard that owns the interaction's
   * guild (shard 0 for a DM), buffered for replay if the socket is down. Throws without such a session.
   */
  sendInteraction(payload: InteractionPayload): SentInteraction;
  /** A type 2 chat-input payload; option types come from the registered command when there is one. */
  slashCommand(input: SlashCommandInput): InteractionPayload;
  /** A type 4 payload; the `focused` option (default: the last one) carries `focused: true` and a string value. */
  autocomplete(input: AutocompleteInput): InteractionPayload;
  /** A type 3 button payload on `message` (a stored message id, a message object, or a made-up bot message). */
  button(input: ButtonInput): InteractionPayload;
  /** A type 3 select-menu payload (`values`, `resolved` for user/role/channel menus). */
  selectMenu(input: SelectMenuInput): InteractionPayload;
  /** A type 5 modal-submit payload with one text input per `fields` entry. */
  modalSubmit(input: ModalSubmitInput): InteractionPayload;

  /** The accepted callback of an interaction (already recorded or future). */
  waitForCallback(interactionId: string, options?: WaitOptions): Promise<RecordedCallback>;
  /** The first completed request (already logged or future) matching all given criteria. */
  waitForRequest(matcher: RequestMatcher, options?: WaitOptions): Promise<RecordedRequest>;
  /** Resolves with `messages(token)` as soon as `predicate` accepts it. */
  waitForMessages(
    interactionToken: string,
    predicate: (messages: StoredMessage[]) => boolean,
    options?: WaitOptions,
  ): Promise<StoredMessage[]>;
  /** Re-evaluates `probe` on every server state change until it returns something other than undefined. */
  waitFor<T>(probe: () => T | undefined, options?: WaitOptions & { description?: string }): Promise<T>;

  /** The interaction's response messages: the original (or the updated component message) then follow-ups, with revisions. */
  messages(interactionToken: string): StoredMessage[];
  /** Every stored message of a channel (interaction responses, channel posts, component messages). */
  channelMessages(channelId: string): StoredMessage[];
  /** Registered global commands, or guild commands when `guildId` is given. */
  commands(guildId?: string): ApiObject[];

  /** Injects a fault (or a delay) on the next matching REST requests. */
  failNext(rule: FaultRule): FaultHandle;
  clearFaults(): void;

  /** Sends an arbitrary dispatch (`t`, `d`) to every live session; a guild's event (`d.guild_id`, or `d.id` of GUILD_CREATE/UPDATE/DELETE) only to its shard's. */
  dispatchEvent(t: string, d: unknown): void;
  /** Cuts the gateway sockets (or closes them with `code`); resolves when closed. */
  dropConnection(options?: { code?: number; reason?: string }): Promise<void>;
  /** Sends op 7 RECONNECT (the client resumes). */
  requestReconnect(): void;
  /** Sends op 9 INVALID_SESSION (the client re-identifies unless `resumable`). */
  invalidateSession(resumable?: boolean): void;
  /** Empties the request, callback, received-gateway-payload and error logs. */
  clearLogs(): void;
}

// ---------------------------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------------------------

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;

/** A fresh Discord snowflake for the current time. */
export function snowflake(timestamp: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(timestamp) - DISCORD_EPOCH) << 22n) | (1n << 17n) | (1n << 12n) | snowflakeIncrement).toString();
}

/** The shard that receives a guild's events, as Discord routes them: `(guild_id >> 22) % shard_count`. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

function isObject(value: unknown): value is ApiObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function iso(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function toBigInt(value: string | bigint | undefined, fallback: string): bigint {
  if (typeof value === 'bigint') return value;
  try {
    return BigInt(value ?? fallback);
  } catch {
    return BigInt(fallback);
  }
}

function compilePattern(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) return pattern;
  let p = pattern.split('?')[0] ?? '';
  if (p.startsWith('/api/v10')) p = p.slice('/api/v10'.length);
  const body = p
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*/g, '.*');
    })
    .join('/');
  return new RegExp(`^${body}$`);
}

interface FormErrorNode {
  _errors?: Array<{ code: string; message: string }>;
  [key: string]: unknown;
}

/** Collects errors in Discord's nested `Invalid Form Body` shape. */
class FormErrors {
  readonly root: FormErrorNode = {};
  count = 0;

  add(path: Array<string | number>, code: string, message: string): void {
    let node: FormErrorNode = this.root;
    for (const segment of path) {
      const key = String(segment);
      const next = node[key];
      if (isObject(next)) {
        node = next as FormErrorNode;
      } else {
        const created: FormErrorNode = {};
        node[key] = created;
        node = created;
      }
    }
    (node._errors ??= []).push({ code, message });
    this.count++;
  }

  toBody(): ApiObject {
    return { message: 'Invalid Form Body', code: 50035, errors: this.root };
  }
}

interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const json = (status: number, body: unknown): HttpResult => ({ status, body });
const noContent = (): HttpResult => ({ status: 204 });
const discordError = (status: number, code: number, message: string): HttpResult => json(status, { message, code });
const unknownInteraction = () => discordError(404, 10062, 'Unknown interaction');
const unknownMessage = () => discordError(404, 10008, 'Unknown Message');
const unknownWebhook = () => discordError(404, 10015, 'Unknown Webhook');

function defaultErrorBody(status: number): ApiObject {
  switch (status) {
    case 400:
      return { message: '400: Bad Request', code: 0 };
    case 401:
      return { message: '401: Unauthorized', code: 0 };
    case 403:
      return { message: 'Missing Permissions', code: 50013 };
    case 404:
      return { message: '404: Not Found', code: 0 };
    case 429:
      return { message: 'You are being rate limited.', retry_after: 0.01, global: false, code: 0 };
    default:
      return { message: `${status}: Internal Server Error`, code: 0 };
  }
}

function parseMultipart(buffer: Buffer, boundary: string): Array<{ name: string; filename: string | null; contentType: string | null; data: Buffer }> {
  const parts: Array<{ name: string; filename: string | null; contentType: string | null; data: Buffer }> = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = buffer.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    if (buffer.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const next = buffer.indexOf(delimiter, afterDelimiter);
    if (next === -1) break;
    const part = buffer.subarray(afterDelimiter + 2, next - 2); // skip CRLF after the delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headerText = part.subarray(0, headerEnd).toString('utf8');
      const data = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headerText)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(headerText)?.[1] ?? null;
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headerText)?.[1]?.trim() ?? null;
      parts.push({ name, filename, contentType, data: Buffer.from(data) });
    }
    start = next;
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Internal state types
// ---------------------------------------------------------------------------------------------

interface MemberState {
  user: ApiUser;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: string;
  features: string[];
  roles: ApiObject[];
  channels: ApiObject[];
  members: Map<string, MemberState>;
  botRoleId: string;
  joinedAt: string;
}

interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  payload: InteractionPayload;
  createdAt: number;
  dispatchedAt: number | null;
  ack: number | null;
  originalMessageId: string | null;
  followupIds: string[];
  componentMessageId: string | null;
}

interface MessageRecord {
  id: string;
  channelId: string;
  kind: StoredMessage['kind'];
  interactionId: string | null;
  message: ApiMessage;
  revisions: MessageRevision[];
  deleted: boolean;
}

interface GatewayEvent {
  payload: { op: number; t: string; s: number; d: unknown };
  onSent?: () => void;
}

interface Session {
  id: string;
  seq: number;
  events: GatewayEvent[];
  conn: Connection | null;
  invalid: boolean;
  intents: number;
  /** `[shard_id, num_shards]` from IDENTIFY (`[0, 1]` when absent). */
  shard: [number, number];
}

interface Connection {
  ws: WebSocket;
  session: Session | null;
  transport: 'zlib-stream' | null;
  payloadCompression: boolean;
  deflate: zlib.Deflate | null;
  chain: Promise<void>;
  closedByServer: boolean;
}

interface FaultState {
  rule: FaultRule;
  regex: RegExp;
  hits: number;
  remaining: number;
}

interface Waiter {
  reject: (error: Error) => void;
}

interface RouteContext {
  params: string[];
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
  arrival: number;
}

interface Route {
  method: string;
  regex: RegExp;
  /** Positions (in `path.split('/')`) of the `:param` segments. */
  paramIndexes: number[];
  auth: boolean;
  handler: (ctx: RouteContext) => HttpResult;
}

const MAX_STORED_EVENTS = 2000;

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

class FakeDiscord implements DiscordTestServer {
  readonly applicationId: string;
  readonly botUser: ApiUser;
  readonly defaultUser: ApiUser;
  port = 0;

  private readonly opts: Required<
    Pick<StartDiscordServerOptions, 'heartbeatIntervalMs' | 'validate' | 'applicationFlags' | 'disallowedIntents' | 'defaultLocale' | 'defaultWaitTimeoutMs' | 'recommendedShards' | 'maxConcurrency'>
  > & { token: string | undefined; interactionTimeoutMs: number | null };
  private readonly http: http.Server;
  private readonly wss: WebSocketServer;
  private readonly changes = new EventEmitter();
  private readonly waiters = new Set<Waiter>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly routes: Route[] = [];
  private readonly users = new Map<string, ApiUser>();
  private readonly guildStates = new Map<string, GuildState>();
  private readonly dmChannels = new Map<string, ApiObject>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly tokens = new Map<string, string>();
  private readonly messageStore = new Map<string, MessageRecord>();
  private readonly globalCommands: ApiObject[] = [];
  private readonly guildCommands = new Map<string, ApiObject[]>();
  private readonly faults: FaultState[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly connections = new Set<Connection>();
  private readonly identifyLog: IdentifyRecord[] = [];
  private readonly receivedLog: Array<{ at: number; op: number; d: unknown }> = [];
  private requestLog: RecordedRequest[] = [];
  private callbackLog: RecordedCallback[] = [];
  private readonly errorLog: Error[] = [];
  private readyCount = 0;
  private resumeCount = 0;
  private heartbeatCount = 0;
  private connectionsOpened = 0;
  private requestSeq = 0;
  private closed = false;
  private readonly verifyKey = randomBytes(32).toString('hex');

  constructor(options: StartDiscordServerOptions) {
    this.opts = {
      token: options.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41250,
      interactionTimeoutMs: options.interactionTimeoutMs === undefined ? 3000 : options.interactionTimeoutMs,
      validate: options.validate ?? true,
      applicationFlags: options.applicationFlags ?? 0,
      disallowedIntents: options.disallowedIntents ?? 0,
      defaultLocale: options.defaultLocale ?? 'en-US',
      defaultWaitTimeoutMs: options.defaultWaitTimeoutMs ?? 5000,
      recommendedShards: options.recommendedShards ?? 1,
      maxConcurrency: options.maxConcurrency ?? 1,
    };
    this.applicationId = options.applicationId ?? options.botUser?.id ?? snowflake();
    this.botUser = this.upsertUser({ username: 'test-bot', ...options.botUser, id: options.botUser?.id ?? this.applicationId, bot: true });
    this.defaultUser = this.upsertUser({ username: 'tester', globalName: 'Tester', ...options.defaultUser });
    for (const guild of options.guilds ?? [{}]) this.addGuild(guild);
    this.changes.setMaxListeners(0);

    this.http = http.createServer((req, res) => {
      void this.handleHttp(req, res);
    });
    this.http.keepAliveTimeout = 1000;
    this.wss = new WebSocketServer({ noServer: true });
    this.http.on('upgrade', (req, socket, head) => {
      if (this.closed) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
    });
    this.registerRoutes();
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(0, '127.0.0.1', () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    this.port = (this.http.address() as AddressInfo).port;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get defaultGuildId(): string | null {
    return this.guildStates.keys().next().value ?? null;
  }

  get defaultChannelId(): string | null {
    const guild = this.defaultGuildId ? this.guildStates.get(this.defaultGuildId) : undefined;
    return guild ? (this.firstTextChannel(guild)?.id as string | undefined) ?? null : null;
  }

  get guilds(): ApiObject[] {
    return [...this.guildStates.values()].map((g) => clone(this.guildCreatePayload(g)));
  }

  get callbacks(): RecordedCallback[] {
    return [...this.callbackLog];
  }

  get requests(): RecordedRequest[] {
    return [...this.requestLog];
  }

  get errors(): Error[] {
    return [...this.errorLog];
  }

  get gateway(): GatewayStats {
    return {
      connected: [...this.connections].filter((c) => c.session && c.ws.readyState === WebSocket.OPEN).length,
      connectionsOpened: this.connectionsOpened,
      identifies: [...this.identifyLog],
      readyCount: this.readyCount,
      resumeCount: this.resumeCount,
      heartbeats: this.heartbeatCount,
      sessions: [...this.sessions.values()].map((s) => ({ id: s.id, seq: s.seq, connected: s.conn !== null, invalid: s.invalid, shard: [...s.shard] as [number, number] })),
      received: [...this.receivedLog],
    };
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle & waiting
  // -------------------------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.reject(new Error('Discord test server closed'));
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const conn of this.connections) {
      conn.closedByServer = true;
      conn.ws.terminate();
      conn.deflate?.close();
    }
    this.connections.clear();
    await new Promise<void>((resolve) => {
      this.wss.close(() => resolve());
    });
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private notify(): void {
    this.changes.emit('change');
  }

  waitFor<T>(probe: () => T | undefined, options: WaitOptions & { description?: string } = {}): Promise<T> {
    const first = probe();
    if (first !== undefined) return Promise.resolve(first);
    if (this.closed) return Promise.reject(new Error('Discord test server closed'));
    const timeoutMs = options.timeoutMs ?? this.opts.defaultWaitTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.changes.off('change', onChange);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        reject: (error) => {
          finish();
          reject(error);
        },
      };
      const onChange = () => {
        let value: T | undefined;
        try {
          value = probe();
        } catch (error) {
          waiter.reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (value !== undefined) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        waiter.reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${options.description ?? 'condition'}`));
      }, timeoutMs);
      this.changes.on('change', onChange);
      this.waiters.add(waiter);
    });
  }

  async waitForReady(options: WaitOptions & { count?: number } = {}): Promise<void> {
    const count = options.count ?? 1;
    await this.waitFor(() => (this.readyCount >= count ? true : undefined), { ...options, description: `READY #${count}` });
  }

  async waitForResume(options: WaitOptions & { count?: number } = {}): Promise<void> {
    const count = options.count ?? 1;
    await this.waitFor(() => (this.resumeCount >= count ? true : undefined), { ...options, description: `RESUMED #${count}` });
  }

  waitForCallback(interactionId: string, options: WaitOptions = {}): Promise<RecordedCallback> {
    return this.waitFor(() => this.callbackLog.find((c) => c.interactionId === interactionId), {
      ...options,
      description: `the callback of interaction ${interactionId}`,
    });
  }

  waitForRequest(matcher: RequestMatcher, options: WaitOptions = {}): Promise<RecordedRequest> {
    const regex = matcher.pathPattern === undefined ? null : compilePattern(matcher.pathPattern);
    const method = matcher.method?.toUpperCase();
    return this.waitFor(
      () =>
        this.requestLog.find(
          (r) =>
            r.status !== null &&
            (method === undefined || r.method === method) &&
            (regex === null || regex.test(r.path)) &&
            (matcher.status === undefined || r.status === matcher.status) &&
            (matcher.predicate === undefined || matcher.predicate(r)),
        ),
      { ...options, description: `request ${method ?? '*'} ${String(matcher.pathPattern ?? '*')}` },
    );
  }

  waitForMessages(
    interactionToken: string,
    predicate: (messages: StoredMessage[]) => boolean,
    options: WaitOptions = {},
  ): Promise<StoredMessage[]> {
    return this.waitFor(
      () => {
        const list = this.messages(interactionToken);
        return predicate(list) ? list : undefined;
      },
      { ...options, description: `messages of interaction token ${interactionToken.slice(0, 12)}…` },
    );
  }

  clearLogs(): void {
    this.requestLog = [];
    this.callbackLog = [];
    this.receivedLog.length = 0;
    this.errorLog.length = 0;
  }

  // -------------------------------------------------------------------------------------------
  // Fault injection
  // -------------------------------------------------------------------------------------------

  /**
   * The next `times` requests matching `method` + `pathPattern` get `status`/`body`/`headers`
   * (after `delayMs`). Without `status` they are only delayed. Note that @discordjs/rest retries
   * 5xx answers (3 retries by default), so a 500 must be injected 4 times to surface as an error.
   */
  failNext(rule: FaultRule): FaultHandle {
    const state: FaultState = { rule, regex: compilePattern(rule.pathPattern), hits: 0, remaining: rule.times ?? 1 };
    this.faults.push(state);
    const faults = this.faults;
    return {
      get hits() {
        return state.hits;
      },
      get remaining() {
        return state.remaining;
      },
      remove() {
        const index = faults.indexOf(state);
        if (index !== -1) faults.splice(index, 1);
      },
    };
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  private takeFault(method: string, path: string): FaultRule | null {
    for (const fault of this.faults) {
      if (fault.remaining <= 0) continue;
      if (fault.rule.method !== undefined && fault.rule.method.toUpperCase() !== method) continue;
      if (!fault.regex.test(path)) continue;
      fault.hits++;
      fault.remaining--;
      if (fault.remaining <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      return fault.rule;
    }
    return null;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Users, guilds
  // -------------------------------------------------------------------------------------------

  private upsertUser(input: UserInput): ApiUser {
    const id = input.id ?? snowflake();
    const existing = this.users.get(id);
    if (existing && input.username === undefined && input.globalName === undefined) return existing;
    const user: ApiUser = {
      id,
      username: input.username ?? existing?.username ?? `user${id.slice(-4)}`,
      global_name: input.globalName !== undefined ? input.globalName : (existing?.global_name ?? null),
      discriminator: input.discriminator ?? (input.bot ? '0000' : '0'),
      avatar: input.avatar ?? null,
      public_flags: 0,
      flags: 0,
      avatar_decoration_data: null,
      primary_guild: null,
      collectibles: null,
      clan: null,
    };
    if (input.bot ?? existing?.bot) user.bot = true;
    this.users.set(id, user);
    return user;
  }

  private addGuild(input: GuildInput): void {
    const id = input.id ?? snowflake();
    const joinedAt = iso();
    const roles: ApiObject[] = [this.makeRole({ id, name: '@everyone', permissions: input.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS, position: 0 })];
    (input.roles ?? []).forEach((role, index) => roles.push(this.makeRole({ position: index + 1, ...role })));
    const botRoleId = snowflake();
    roles.push({
      ...this.makeRole({ id: botRoleId, name: this.botUser.username, permissions: input.botPermissions ?? DEFAULT_BOT_PERMISSIONS, position: roles.length }),
      managed: true,
      tags: { bot_id: this.botUser.id },
    });
    const channelInputs = input.channels ?? [{ name: 'general', type: 0 }];
    const channels = channelInputs.map((c, index) => this.makeChannel(c, index));
    const guild: GuildState = {
      id,
      name: input.name ?? 'Test Guild',
      ownerId: input.ownerId ?? this.defaultUser.id,
      preferredLocale: input.preferredLocale ?? 'en-US',
      features: input.features ?? [],
      roles,
      channels,
      members: new Map(),
      botRoleId,
      joinedAt,
    };
    guild.members.set(this.botUser.id, { user: this.botUser, roles: [botRoleId], nick: null, joinedAt });
    for (const member of input.members ?? []) {
      const user = this.upsertUser(member.user);
      guild.members.set(user.id, {
        user,
        roles: this.resolveRoleIds(guild, member.roles ?? []),
        nick: member.nick ?? null,
        joinedAt: member.joinedAt ?? joinedAt,
      });
    }
    if (!guild.members.has(this.defaultUser.id)) {
      guild.members.set(this.defaultUser.id, { user: this.defaultUser, roles: [], nick: null, joinedAt });
    }
    this.guildStates.set(id, guild);
  }

  private makeRole(input: RoleInput): ApiObject {
    return {
      id: input.id ?? snowflake(),
      name: input.name,
      description: null,
      permissions: toBigInt(input.permissions, '0').toString(),
      position: input.position ?? 0,
      color: input.color ?? 0,
      colors: { primary_color: input.color ?? 0, secondary_color: null, tertiary_color: null },
      hoist: input.hoist ?? false,
      managed: false,
      mentionable: input.mentionable ?? false,
      icon: null,
      unicode_emoji: null,
      flags: 0,
    };
  }

  private makeChannel(input: ChannelInput, index: number): ApiObject {
    const type = input.type ?? 0;
    const channel: ApiObject = {
      id: input.id ?? snowflake(),
      type,
      name: input.name,
      position: input.position ?? index,
      parent_id: input.parentId ?? null,
      permission_overwrites: [],
      flags: 0,
      nsfw: input.nsfw ?? false,
    };
    if (type === 2 || type === 13) Object.assign(channel, { bitrate: 64000, user_limit: 0, rtc_region: null });
    else if (type !== 4) Object.assign(channel, { topic: input.topic ?? null, last_message_id: null, rate_limit_per_user: 0 });
    return channel;
  }

  private resolveRoleIds(guild: GuildState, roles: string[]): string[] {
    return roles.map((r) => {
      const role = guild.roles.find((x) => x.id === r) ?? guild.roles.find((x) => x.name === r);
      if (!role) throw new Error(`Unknown role "${r}" in guild ${guild.id}`);
      return role.id as string;
    });
  }

  private permissionsOf(guild: GuildState, userId: string, roleIds: string[]): string {
    if (userId === guild.ownerId) return ALL_PERMISSIONS;
    let bits = toBigInt(guild.roles.find((r) => r.id === guild.id)?.permissions as string | undefined, '0');
    for (const roleId of roleIds) bits |= toBigInt(guild.roles.find((r) => r.id === roleId)?.permissions as string | undefined, '0');
    return (bits & ADMINISTRATOR) === ADMINISTRATOR ? ALL_PERMISSIONS : bits.toString();
  }

  private firstTextChannel(guild: GuildState): ApiObject | undefined {
    return guild.channels.find((c) => c.type === 0 || c.type === 5) ?? guild.channels[0];
  }

  private findChannel(channelId: string): { channel: ApiObject; guild: GuildState | null } | null {
    for (const guild of this.guildStates.values()) {
      const channel = guild.channels.find((c) => c.id === channelId);
      if (channel) return { channel: { ...channel, guild_id: guild.id }, guild };
    }
    const dm = this.dmChannels.get(channelId);
    return dm ? { channel: dm, guild: null } : null;
  }

  private dmChannelFor(user: ApiUser): ApiObject {
    for (const channel of this.dmChannels.values()) {
      if (asArray(channel.recipients).some((r) => isObject(r) && r.id === user.id)) return channel;
    }
    const channel: ApiObject = { id: snowflake(), type: 1, last_message_id: null, flags: 0, recipients: [user] };
    this.dmChannels.set(channel.id as string, channel);
    return channel;
  }

  private memberPayload(member: MemberState, permissions?: string): ApiObject {
    const payload: ApiObject = {
      user: member.user,
      roles: member.roles,
      nick: member.nick,
      avatar: null,
      banner: null,
      premium_since: null,
      joined_at: member.joinedAt,
      deaf: false,
      mute: false,
      pending: false,
      flags: 0,
      communication_disabled_until: null,
      unusual_dm_activity_until: null,
    };
    if (permissions !== undefined) payload.permissions = permissions;
    return payload;
  }

  private guildCreatePayload(guild: GuildState): ApiObject {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: guild.roles,
      emojis: [],
      stickers: [],
      features: guild.features,
      mfa_level: 0,
      application_id: null,
      system_channel_id: (this.firstTextChannel(guild)?.id as string | undefined) ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      max_presences: null,
      max_members: 500000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: guild.preferredLocale,
      nsfw_level: 0,
      nsfw: false,
      incidents_data: null,
      joined_at: guild.joinedAt,
      large: false,
      lazy: true,
      unavailable: false,
      member_count: guild.members.size,
      voice_states: [],
      members: [...guild.members.values()].map((m) => this.memberPayload(m)),
      channels: guild.channels,
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
      application_command_counts: {},
    };
  }

  private applicationPayload(): ApiObject {
    return {
      id: this.applicationId,
      name: this.botUser.username,
      icon: null,
      description: '',
      summary: '',
      type: null,
      hook: true,
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: this.verifyKey,
      flags: this.opts.applicationFlags,
      owner: this.defaultUser,
      team: null,
      bot: this.botUser,
      redirect_uris: [],
      interactions_endpoint_url: null,
      approximate_guild_count: this.guildStates.size,
      integration_types_config: { '0': {} },
      tags: [],
    };
  }

  // -------------------------------------------------------------------------------------------
  // Interaction builders
  // -------------------------------------------------------------------------------------------

  private buildContext(input: InteractionContextInput): {
    base: InteractionPayload;
    guild: GuildState | null;
    user: ApiUser;
  } {
    const user = input.user ? this.upsertUser(input.user) : this.defaultUser;
    const guildId = input.guildId === null ? null : (input.guildId ?? this.defaultGuildId);
    const id = input.id ?? snowflake();
    const token = input.token ?? `${Buffer.from(`interaction:${id}:`).toString('base64url')}${randomBytes(60).toString('base64url')}`;
    const locale = input.locale ?? this.opts.defaultLocale;
    const base: InteractionPayload = {
      id,
      application_id: this.applicationId,
      type: 0,
      token,
      version: 1,
      locale,
      app_permissions: input.appPermissions ?? '0',
      entitlements: [],
      entitlement_sku_ids: [],
      authorizing_integration_owners: { '0': guildId ?? '0' },
      attachment_size_limit: 10485760,
    };
    if (guildId === null) {
      const channel = input.channelId
        ? (this.dmChannels.get(input.channelId) ?? { id: input.channelId, type: 1, last_message_id: null, flags: 0, recipients: [user] })
        : this.dmChannelFor(user);
      Object.assign(base, {
        user,
        channel,
        channel_id: channel.id,
        context: 1,
        app_permissions: input.appPermissions ?? DEFAULT_BOT_PERMISSIONS,
      });
      return { base, guild: null, user };
    }
    const guild = this.guildStates.get(guildId);
    if (!guild) throw new Error(`Unknown guild ${guildId}; configure it in startDiscordServer({ guilds })`);
    const known = guild.members.get(user.id);
    const member: MemberState = {
      user,
      roles: input.roles ? this.resolveRoleIds(guild, input.roles) : (known?.roles ?? []),
      nick: input.nick !== undefined ? input.nick : (known?.nick ?? null),
      joinedAt: known?.joinedAt ?? iso(),
    };
    const permissions = input.permissions ?? this.permissionsOf(guild, user.id, member.roles);
    const channelObject = input.channelId
      ? (guild.channels.find((c) => c.id === input.channelId) ?? { id: input.channelId, type: 0, name: 'unknown', flags: 0 })
      : this.firstTextChannel(guild);
    if (!channelObject) throw new Error(`Guild ${guild.id} has no channel`);
    const botMember = guild.members.get(this.botUser.id);
    Object.assign(base, {
      guild_id: guild.id,
      guild: { id: guild.id, locale: guild.preferredLocale, features: guild.features },
      guild_locale: input.guildLocale ?? guild.preferredLocale,
      member: this.memberPayload(member, permissions),
      channel: { ...channelObject, guild_id: guild.id, permissions },
      channel_id: channelObject.id,
      context: 0,
      app_permissions: input.appPermissions ?? this.permissionsOf(guild, this.botUser.id, botMember?.roles ?? []),
    });
    return { base, guild, user };
  }

  private findCommand(name: string, type: number, guildId: string | null): ApiObject | undefined {
    const inGuild = guildId ? this.guildCommands.get(guildId)?.find((c) => c.name === name && c.type === type) : undefined;
    return inGuild ?? this.globalCommands.find((c) => c.name === name && c.type === type);
  }

  private normalizeOptionInput(options: SlashCommandInput['options']): CommandOptionInput[] {
    if (options === undefined) return [];
    if (Array.isArray(options)) return options;
    return Object.entries(options).map(([name, value]) => ({ name, value }));
  }

  private typeOptions(
    options: CommandOptionInput[],
    definitions: unknown[] | undefined,
    commandLabel: string,
    guild: GuildState | null,
    resolved: ApiObject,
  ): ApiObject[] {
    return options.map((option) => {
      const definition = definitions?.find((d): d is ApiObject => isObject(d) && d.name === option.name);
      if (definitions && !definition) {
        throw new Error(`Option "${option.name}" is not declared by the registered command ${commandLabel}`);
      }
      const type =
        option.type ??
        (definition?.type as number | undefined) ??
        (option.options ? CommandOptionType.Subcommand : inferOptionType(option.value));
      const out: ApiObject = { name: option.name, type };
      if (option.value !== undefined) out.value = option.value;
      if (option.focused) out.focused = true;
      if (option.options) {
        const nested = definition ? asArray(definition.options) : undefined;
        out.options = this.typeOptions(option.options, nested, `${commandLabel} ${option.name}`, guild, resolved);
      }
      if (option.value !== undefined && !option.focused) this.resolveOption(type, String(option.value), guild, resolved);
      return out;
    });
  }

  private resolveOption(type: number, value: string, guild: GuildState | null, resolved: ApiObject): void {
    const bucket = (name: string): ApiObject => {
      const existing = resolved[name];
      if (isObject(existing)) return existing;
      const created: ApiObject = {};
      resolved[name] = created;
      return created;
    };
    const addUser = (): boolean => {
      const user = this.users.get(value);
      if (!user && type === CommandOptionType.Mentionable) return false;
      const apiUser = user ?? this.upsertUser({ id: value });
      bucket('users')[value] = apiUser;
      const member = guild?.members.get(value);
      if (guild && member) {
        const { user: _user, ...rest } = this.memberPayload(member, this.permissionsOf(guild, value, member.roles));
        bucket('members')[value] = rest;
      }
      return true;
    };
    const addRole = (): void => {
      const role = guild?.roles.find((r) => r.id === value);
      if (role) bucket('roles')[value] = role;
    };
    switch (type) {
      case CommandOptionType.User:
        addUser();
        break;
      case CommandOptionType.Role:
        addRole();
        break;
      case CommandOptionType.Mentionable:
        if (!addUser()) addRole();
        break;
      case CommandOptionType.Channel: {
        const found = this.findChannel(value);
        const channel = found?.channel ?? { id: value, type: 0, name: 'unknown' };
        bucket('channels')[value] = { ...channel, permissions: ALL_PERMISSIONS };
        break;
      }
      default:
        break;
    }
  }

  private commandData(input: SlashCommandInput, guild: GuildState | null, focused?: string): ApiObject {
    const command = this.findCommand(input.name, 1, guild?.id ?? null);
    let definitions = command ? asArray(command.options) : undefined;
    let options = this.normalizeOptionInput(input.options);
    if (focused !== undefined || options.some((o) => o.focused)) {
      const target = focused ?? options.find((o) => o.focused)?.name;
      options = options.map((o) => ({ ...o, focused: o.name === target, value: o.name === target ? String(o.value ?? '') : o.value }));
    }
    const resolved: ApiObject = {};
    let path: CommandOptionInput[] = options;
    if (input.subcommand) path = [{ name: input.subcommand, type: CommandOptionType.Subcommand, options }];
    if (input.subcommandGroup) {
      if (!input.subcommand) throw new Error('subcommandGroup needs subcommand');
      path = [{ name: input.subcommandGroup, type: CommandOptionType.SubcommandGroup, options: path }];
    }
    if (command) {
      const required = (defs: unknown[], given: CommandOptionInput[], label: string): void => {
        for (const def of defs) {
          if (isObject(def) && def.required === true && !given.some((g) => g.name === def.name)) {
            throw new Error(`Required option "${String(def.name)}" missing for ${label}`);
          }
        }
      };
      let defs: unknown[] = definitions ?? [];
      let given = path;
      let label = `/${input.name}`;
      while (given.length === 1 && (given[0]?.type === 1 || given[0]?.type === 2)) {
        const head = given[0];
        const def = defs.find((d) => isObject(d) && d.name === head.name);
        defs = isObject(def) ? asArray(def.options) : [];
        given = head.options ?? [];
        label += ` ${head.name}`;
      }
      if (focused === undefined && !options.some((o) => o.focused)) required(defs, given, label);
    } else {
      definitions = undefined;
    }
    const typed = this.typeOptions(path, definitions, `/${input.name}`, guild, resolved);
    if (input.resolved) {
      for (const [key, value] of Object.entries(input.resolved)) {
        resolved[key] = isObject(value) && isObject(resolved[key]) ? { ...(resolved[key] as ApiObject), ...value } : value;
      }
    }
    const data: ApiObject = { id: command?.id ?? input.commandId ?? snowflake(), name: input.name, type: 1 };
    if (typed.length > 0) data.options = typed;
    if (Object.keys(resolved).length > 0) data.resolved = resolved;
    if (isObject(command) && typeof command.guild_id === 'string') data.guild_id = command.guild_id;
    return data;
  }

  slashCommand(input: SlashCommandInput): InteractionPayload {
    const { base, guild } = this.buildContext(input);
    return { ...base, type: InteractionType.ApplicationCommand, data: this.commandData(input, guild) };
  }

  autocomplete(input: AutocompleteInput): InteractionPayload {
    const { base, guild } = this.buildContext(input);
    const options = this.normalizeOptionInput(input.options);
    const focused = input.focused ?? options.find((o) => o.focused)?.name ?? options[options.length - 1]?.name;
    if (focused === undefined) throw new Error('autocomplete() needs at least one option (the focused one)');
    return { ...base, type: InteractionType.ApplicationCommandAutocomplete, data: this.commandData(input, guild, focused) };
  }

  private componentMessage(input: ComponentInput | ModalSubmitInput, base: InteractionPayload, component: ApiObject): ApiObject {
    if (typeof input.message === 'string') {
      const stored = this.messageStore.get(input.message);
      if (!stored) throw new Error(`No stored message ${input.message}`);
      return clone(stored.message);
    }
    if (input.message) return clone(input.message);
    const message = this.buildMessage({
      channelId: base.channel_id ?? '0',
      type: 0,
      body: { content: '', components: [{ type: 1, components: [component] }] },
      files: [],
      interaction: null,
      webhook: false,
    });
    return message;
  }

  button(input: ButtonInput): InteractionPayload {
    const { base } = this.buildContext(input);
    const message = this.componentMessage(input, base, { type: 2, style: 1, label: input.customId, custom_id: input.customId });
    return {
      ...base,
      type: InteractionType.MessageComponent,
      message,
      data: { custom_id: input.customId, component_type: 2 },
    };
  }

  selectMenu(input: SelectMenuInput): InteractionPayload {
    const { base, guild } = this.buildContext(input);
    const componentType = input.componentType ?? 3;
    const component: ApiObject = { type: componentType, custom_id: input.customId };
    if (componentType === 3) component.options = input.values.map((v) => ({ label: v, value: v }));
    const message = this.componentMessage(input, base, component);
    const data: ApiObject = { custom_id: input.customId, component_type: componentType, values: input.values };
    if (componentType !== 3) {
      const resolved: ApiObject = {};
      const optionType = { 5: CommandOptionType.User, 6: CommandOptionType.Role, 7: CommandOptionType.Mentionable, 8: CommandOptionType.Channel }[componentType];
      if (optionType !== undefined) for (const value of input.values) this.resolveOption(optionType, value, guild, resolved);
      data.resolved = resolved;
    }
    return { ...base, type: InteractionType.MessageComponent, message, data };
  }

  modalSubmit(input: ModalSubmitInput): InteractionPayload {
    const { base } = this.buildContext(input);
    let componentId = 1;
    const components = Object.entries(input.fields).map(([customId, value]) => ({
      type: 1,
      id: componentId++,
      components: [{ type: 4, id: componentId++, custom_id: customId, value }],
    }));
    const payload: InteractionPayload = {
      ...base,
      type: InteractionType.ModalSubmit,
      data: { custom_id: input.customId, components },
    };
    if (input.message !== undefined) {
      payload.message = this.componentMessage(input, base, { type: 2, style: 1, label: 'open', custom_id: 'open' });
    }
    return payload;
  }

  sendInteraction(payload: InteractionPayload): SentInteraction {
    if (this.closed) throw new Error('Discord test server closed');
    const { id, token } = payload;
    if (!id || !token) throw new Error('Interaction payload needs id and token');
    if (this.interactions.has(id)) throw new Error(`Interaction ${id} was already sent`);
    const guildId = typeof payload.guild_id === 'string' ? payload.guild_id : null;
    const live = [...this.sessions.values()].filter((s) => !s.invalid);
    if (live.length === 0) throw new Error('No gateway session: log the client in before sending interactions');
    const sessions = live.filter((s) => this.owns(s, guildId));
    if (sessions.length === 0) {
      const count = live[0]!.shard[1];
      throw new Error(`No gateway session for shard ${guildId ? shardOfGuild(guildId, count) : 0} of ${count} (${guildId ? `guild ${guildId}` : 'direct messages'})`);
    }
    const copy = clone(payload);
    const record: InteractionRecord = {
      id,
      token,
      type: copy.type,
      payload: copy,
      createdAt: Date.now(),
      dispatchedAt: null,
      ack: null,
      originalMessageId: null,
      followupIds: [],
      componentMessageId: null,
    };
    if (isObject(copy.message) && typeof copy.message.id === 'string') {
      record.componentMessageId = copy.message.id;
      if (!this.messageStore.has(copy.message.id)) {
        const message = copy.message as ApiMessage;
        this.messageStore.set(message.id, {
          id: message.id,
          channelId: String(message.channel_id ?? copy.channel_id ?? ''),
          kind: 'channel',
          interactionId: null,
          message: clone(message),
          revisions: [{ at: Date.now(), action: 'create', body: undefined, message: clone(message) }],
          deleted: false,
        });
      }
    }
    this.interactions.set(id, record);
    this.tokens.set(token, id);
    for (const session of sessions) {
      this.dispatchTo(session, 'INTERACTION_CREATE', copy, () => {
        record.dispatchedAt ??= performance.now();
      });
    }
    return { id, token, payload: clone(copy) };
  }

  // -------------------------------------------------------------------------------------------
  // Messages
  // -------------------------------------------------------------------------------------------

  private snapshot(record: MessageRecord): StoredMessage {
    return clone({
      id: record.id,
      channelId: record.channelId,
      kind: record.kind,
      interactionId: record.interactionId,
      message: record.message,
      revisions: record.revisions,
      deleted: record.deleted,
    });
  }

  messages(interactionToken: string): StoredMessage[] {
    const id = this.tokens.get(interactionToken);
    const interaction = id ? this.interactions.get(id) : undefined;
    if (!interaction) return [];
    const ids = [interaction.originalMessageId, ...interaction.followupIds].filter((x): x is string => x !== null);
    return ids.flatMap((messageId) => {
      const record = this.messageStore.get(messageId);
      return record ? [this.snapshot(record)] : [];
    });
  }

  channelMessages(channelId: string): StoredMessage[] {
    return [...this.messageStore.values()].filter((m) => m.channelId === channelId).map((m) => this.snapshot(m));
  }

  commands(guildId?: string): ApiObject[] {
    return clone(guildId === undefined ? this.globalCommands : (this.guildCommands.get(guildId) ?? []));
  }

  private computeMentions(content: string, allowed: unknown, guildId: string | null): ApiObject {
    const parse = isObject(allowed) ? asArray(allowed.parse).map(String) : ['users', 'roles', 'everyone'];
    const allowedUsers = isObject(allowed) ? asArray(allowed.users).map(String) : [];
    const allowedRoles = isObject(allowed) ? asArray(allowed.roles).map(String) : [];
    const mentions: ApiUser[] = [];
    for (const match of content.matchAll(/<@!?(\d{15,21})>/g)) {
      const userId = match[1] ?? '';
      const user = this.users.get(userId);
      if (user && (parse.includes('users') || allowedUsers.includes(userId)) && !mentions.some((m) => m.id === userId)) {
        mentions.push(user);
      }
    }
    const roles: string[] = [];
    const guild = guildId ? this.guildStates.get(guildId) : undefined;
    for (const match of content.matchAll(/<@&(\d{15,21})>/g)) {
      const roleId = match[1] ?? '';
      if (guild?.roles.some((r) => r.id === roleId) && (parse.includes('roles') || allowedRoles.includes(roleId)) && !roles.includes(roleId)) {
        roles.push(roleId);
      }
    }
    return {
      mentions,
      mention_roles: roles,
      mention_everyone: parse.includes('everyone') && /@(everyone|here)/.test(content),
    };
  }

  private buildAttachments(body: ApiObject, files: UploadedFile[], channelId: string, existing: ApiObject[]): ApiObject[] {
    const toAttachment = (file: UploadedFile, meta: ApiObject): ApiObject => {
      const id = snowflake();
      const filename = str(meta.filename) ?? file.filename;
      const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
      const attachment: ApiObject = {
        id,
        filename,
        size: file.size,
        url,
        proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net'),
        content_type: file.contentType ?? 'application/octet-stream',
      };
      if (typeof meta.description === 'string') attachment.description = meta.description;
      return attachment;
    };
    if (!Array.isArray(body.attachments)) {
      return [...existing, ...files.map((f) => toAttachment(f, {}))];
    }
    const out: ApiObject[] = [];
    for (const entry of body.attachments) {
      if (!isObject(entry)) continue;
      const entryId = String(entry.id ?? '');
      const old = existing.find((a) => a.id === entryId);
      if (old) {
        out.push(old);
        continue;
      }
      const file = files.find((f) => f.field === `files[${entryId}]`) ?? files[Number(entryId)];
      if (file) out.push(toAttachment(file, entry));
    }
    return out;
  }

  private normalizeComponents(components: unknown): ApiObject[] {
    let nextId = 1;
    const walk = (component: unknown): ApiObject => {
      const c = isObject(component) ? { ...component } : {};
      c.id ??= nextId++;
      if (Array.isArray(c.components)) c.components = c.components.map(walk);
      if (isObject(c.accessory)) c.accessory = walk(c.accessory);
      if (isObject(c.component)) c.component = walk(c.component);
      return c;
    };
    return asArray(components).map(walk);
  }

  private buildMessage(args: {
    channelId: string;
    type: number;
    body: ApiObject;
    files: UploadedFile[];
    interaction: InteractionRecord | null;
    webhook: boolean;
    flags?: number;
  }): ApiMessage {
    const { body, interaction } = args;
    const id = snowflake();
    const content = str(body.content) ?? '';
    const guildId = interaction ? (interaction.payload.guild_id ?? null) : (this.findChannel(args.channelId)?.guild?.id ?? null);
    const message: ApiMessage = {
      id,
      channel_id: args.channelId,
      type: args.type,
      content,
      author: this.botUser,
      embeds: asArray(body.embeds).map((e) => ({ type: 'rich', content_scan_version: 0, ...(isObject(e) ? e : {}) })),
      components: this.normalizeComponents(body.components),
      attachments: this.buildAttachments(body, args.files, args.channelId, []),
      flags: args.flags ?? 0,
      timestamp: iso(),
      edited_timestamp: null,
      tts: body.tts === true,
      pinned: false,
      ...this.computeMentions(content, body.allowed_mentions, guildId),
    };
    if (args.webhook) {
      message.webhook_id = this.applicationId;
      message.application_id = this.applicationId;
    }
    if (interaction) {
      const user = (interaction.payload.member?.user ?? interaction.payload.user) as ApiUser;
      const metadata: ApiObject = {
        id: interaction.id,
        type: interaction.type,
        user,
        authorizing_integration_owners: interaction.payload.authorizing_integration_owners,
      };
      const data = interaction.payload.data;
      if (interaction.type === InteractionType.ApplicationCommand && isObject(data)) {
        metadata.name = data.name;
        metadata.command_type = data.type;
        message.interaction = { id: interaction.id, type: interaction.type, name: data.name, user };
      }
      if (interaction.componentMessageId) metadata.interacted_message_id = interaction.componentMessageId;
      if (interaction.originalMessageId && args.type !== 20) metadata.original_response_message_id = interaction.originalMessageId;
      message.interaction_metadata = metadata;
    }
    if (isObject(body.message_reference)) {
      message.message_reference = { type: 0, channel_id: args.channelId, ...body.message_reference };
      message.type = 19;
    }
    if (isObject(body.poll)) message.poll = body.poll;
    return message;
  }

  private storeMessage(kind: StoredMessage['kind'], message: ApiMessage, interaction: InteractionRecord | null, action: MessageRevision['action'], body: unknown): MessageRecord {
    const record: MessageRecord = {
      id: message.id,
      channelId: message.channel_id,
      kind,
      interactionId: interaction?.id ?? null,
      message,
      revisions: [{ at: Date.now(), action, body: clone(body), message: clone(message) }],
      deleted: false,
    };
    this.messageStore.set(message.id, record);
    return record;
  }

  private editMessage(record: MessageRecord, body: ApiObject, files: UploadedFile[], action: MessageRevision['action']): void {
    const message = record.message;
    const wasLoading = (message.flags & MessageFlags.Loading) !== 0;
    if (typeof body.content === 'string' || body.content === null) message.content = body.content ?? '';
    if (Array.isArray(body.embeds) || body.embeds === null) {
      message.embeds = asArray(body.embeds).map((e) => ({ type: 'rich', content_scan_version: 0, ...(isObject(e) ? e : {}) }));
    }
    if (Array.isArray(body.components) || body.components === null) message.components = this.normalizeComponents(body.components);
    if ('attachments' in body || files.length > 0) message.attachments = this.buildAttachments(body, files, message.channel_id, message.attachments);
    let flags = message.flags & ~MessageFlags.Loading;
    if (typeof body.flags === 'number') {
      const editable = MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2;
      flags = (flags & ~editable) | (body.flags & editable);
    }
    message.flags = flags;
    if (isObject(body.poll)) message.poll = body.poll;
    Object.assign(message, this.computeMentions(message.content, body.allowed_mentions, this.findChannel(message.channel_id)?.guild?.id ?? null));
    if (!wasLoading) message.edited_timestamp = iso();
    record.revisions.push({ at: Date.now(), action, body: clone(body), message: clone(message) });
  }

  // -------------------------------------------------------------------------------------------
  // Validation (a useful subset of what Discord checks)
  // -------------------------------------------------------------------------------------------

  private validateMessage(body: ApiObject, path: Array<string | number>, errors: FormErrors): void {
    if (!this.opts.validate) return;
    const content = body.content;
    if (content !== undefined && content !== null && typeof content !== 'string') {
      errors.add([...path, 'content'], 'BASE_TYPE_STRING', 'Must be a string.');
    } else if (typeof content === 'string' && [...content].length > 2000) {
      errors.add([...path, 'content'], 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
    }
    const flags = typeof body.flags === 'number' ? body.flags : 0;
    const v2 = (flags & MessageFlags.IsComponentsV2) !== 0;
    if (v2 && ((typeof content === 'string' && content.length > 0) || asArray(body.embeds).length > 0)) {
      errors.add([...path, v2 && typeof content === 'string' && content.length > 0 ? 'content' : 'embeds'], 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'The \'content\' and \'embeds\' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2');
    }
    const embeds = body.embeds;
    if (embeds !== undefined && embeds !== null) {
      if (!Array.isArray(embeds)) {
        errors.add([...path, 'embeds'], 'BASE_TYPE_ARRAY', 'Must be an array.');
      } else {
        if (embeds.length > 10) errors.add([...path, 'embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
        let total = 0;
        embeds.forEach((embed, index) => {
          const at = [...path, 'embeds', index];
          if (!isObject(embed)) {
            errors.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
            return;
          }
          const limit = (value: unknown, max: number, key: Array<string | number>): void => {
            if (typeof value !== 'string') return;
            total += [...value].length;
            if ([...value].length > max) errors.add([...at, ...key], 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
          };
          limit(embed.title, 256, ['title']);
          limit(embed.description, 4096, ['description']);
          if (isObject(embed.footer)) limit(embed.footer.text, 2048, ['footer', 'text']);
          if (isObject(embed.author)) limit(embed.author.name, 256, ['author', 'name']);
          const fields = asArray(embed.fields);
          if (fields.length > 25) errors.add([...at, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
          fields.forEach((field, fieldIndex) => {
            if (!isObject(field)) return;
            for (const [key, max] of [['name', 256], ['value', 1024]] as const) {
              const value = field[key];
              if (typeof value !== 'string' || value.length === 0) {
                errors.add([...at, 'fields', fieldIndex, key], 'BASE_TYPE_REQUIRED', 'This field is required');
              } else {
                limit(value, max, ['fields', fieldIndex, key]);
              }
            }
          });
          for (const key of ['url'] as const) {
            const url = embed[key];
            if (typeof url === 'string' && !/^https?:\/\//.test(url)) errors.add([...at, key], 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
          }
        });
        if (total > 6000) errors.add([...path, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
      }
    }
    const components = body.components;
    if (Array.isArray(components) && !v2) {
      if (components.length > 5) errors.add([...path, 'components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
      const seen = new Set<string>();
      components.forEach((row, rowIndex) => {
        const at = [...path, 'components', rowIndex];
        if (!isObject(row) || row.type !== 1) {
          errors.add([...at, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
          return;
        }
        const children = asArray(row.components);
        if (children.length < 1 || children.length > 5) {
          errors.add([...at, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
        }
        const hasSelect = children.some((c) => isObject(c) && c.type !== 2);
        if (hasSelect && children.length > 1) errors.add([...at, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
        children.forEach((child, childIndex) => {
          if (!isObject(child)) return;
          const customId = child.custom_id;
          if (typeof customId === 'string') {
            if (customId.length > 100) errors.add([...at, 'components', childIndex, 'custom_id'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
            if (seen.has(customId)) errors.add([...at, 'components', childIndex, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
            seen.add(customId);
          } else if (child.type === 2 && child.style !== 5 && child.style !== 6) {
            errors.add([...at, 'components', childIndex, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
          }
          if (typeof child.label === 'string' && child.label.length > 80) {
            errors.add([...at, 'components', childIndex, 'label'], 'BASE_TYPE_MAX_LENGTH', 'Must be 80 or fewer in length.');
          }
        });
      });
    }
    const allowed = body.allowed_mentions;
    if (isObject(allowed)) {
      const parse = asArray(allowed.parse);
      for (const [index, value] of parse.entries()) {
        if (value !== 'users' && value !== 'roles' && value !== 'everyone') {
          errors.add([...path, 'allowed_mentions', 'parse', index], 'BASE_TYPE_CHOICES', `Value must be one of {'everyone', 'roles', 'users'}.`);
        }
      }
      for (const kind of ['users', 'roles'] as const) {
        if (parse.includes(kind) && asArray(allowed[kind]).length > 0) {
          errors.add([...path, 'allowed_mentions'], 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`);
        }
        if (asArray(allowed[kind]).length > 100) {
          errors.add([...path, 'allowed_mentions', kind], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
        }
      }
    }
  }

  private isEmptyMessage(message: { content?: unknown; embeds?: unknown; components?: unknown; attachments?: unknown; sticker_ids?: unknown; poll?: unknown }, files: number): boolean {
    const content = typeof message.content === 'string' ? message.content.trim() : '';
    return (
      content.length === 0 &&
      asArray(message.embeds).length === 0 &&
      asArray(message.components).length === 0 &&
      asArray(message.attachments).length === 0 &&
      asArray(message.sticker_ids).length === 0 &&
      !isObject(message.poll) &&
      files === 0
    );
  }

  private emptyMessageError(): HttpResult {
    return discordError(400, 50006, 'Cannot send an empty message');
  }

  private validateCommands(commands: unknown[], errors: FormErrors, basePath: Array<string | number>): void {
    if (!this.opts.validate) return;
    const namePattern = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
    const checkLocalizations = (value: unknown, path: Array<string | number>, max: number, isName: boolean): void => {
      if (!isObject(value)) return;
      for (const [locale, text] of Object.entries(value)) {
        if (!LOCALE_SET.has(locale)) {
          errors.add([...path, locale], 'LOCALE_INVALID', `Invalid locale "${locale}".`);
        } else if (typeof text !== 'string' || text.length < 1 || [...text].length > max) {
          errors.add([...path, locale], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${max} in length.`);
        } else if (isName && (!namePattern.test(text) || text !== text.toLowerCase())) {
          errors.add([...path, locale], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
        }
      }
    };
    const checkOptions = (options: unknown[], path: Array<string | number>, depth: number): void => {
      if (options.length > 25) errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      const names = new Set<string>();
      let optionalSeen = false;
      options.forEach((option, index) => {
        const at = [...path, index];
        if (!isObject(option)) {
          errors.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
          return;
        }
        const type = option.type;
        if (typeof type !== 'number' || type < 1 || type > 11) {
          errors.add([...at, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).');
        }
        const name = str(option.name) ?? '';
        if (!namePattern.test(name) || name !== name.toLowerCase()) errors.add([...at, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
        if (names.has(name)) errors.add([...at, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
        names.add(name);
        const description = str(option.description) ?? '';
        if (description.length < 1 || [...description].length > 100) errors.add([...at, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        checkLocalizations(option.name_localizations, [...at, 'name_localizations'], 32, true);
        checkLocalizations(option.description_localizations, [...at, 'description_localizations'], 100, false);
        const isSub = type === 1 || type === 2;
        if (isSub) {
          if (depth >= 2 || (type === 2 && depth >= 1)) errors.add([...at, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Invalid subcommand nesting');
          const nested = asArray(option.options);
          if (type === 2 && nested.some((o) => !isObject(o) || o.type !== 1)) {
            errors.add([...at, 'options'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command groups can only contain sub-commands');
          }
          checkOptions(nested, [...at, 'options'], depth + 1);
        } else {
          if (option.required === true && optionalSeen) {
            errors.add([...at, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
          }
          if (option.required !== true) optionalSeen = true;
          const choices = asArray(option.choices);
          if (choices.length > 25) errors.add([...at, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
          if (choices.length > 0 && option.autocomplete === true) {
            errors.add([...at, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE', 'Autocomplete cannot be used with choices');
          }
          choices.forEach((choice, choiceIndex) => {
            if (!isObject(choice)) return;
            const choiceName = str(choice.name) ?? '';
            if (choiceName.length < 1 || [...choiceName].length > 100) errors.add([...at, 'choices', choiceIndex, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
            if (typeof choice.value === 'string' && choice.value.length > 100) errors.add([...at, 'choices', choiceIndex, 'value'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
          });
        }
        if (isSub && options.some((o) => isObject(o) && o.type !== 1 && o.type !== 2)) {
          errors.add(at, 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types');
        }
      });
    };
    const seen = new Map<string, number>();
    const perType = new Map<number, number>();
    commands.forEach((command, index) => {
      const at = [...basePath, index];
      if (!isObject(command)) {
        errors.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
        return;
      }
      const type = typeof command.type === 'number' ? command.type : 1;
      const name = str(command.name) ?? '';
      perType.set(type, (perType.get(type) ?? 0) + 1);
      if (type === 1) {
        if (!namePattern.test(name) || name !== name.toLowerCase()) errors.add([...at, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
        const description = str(command.description) ?? '';
        if (description.length < 1 || [...description].length > 100) errors.add([...at, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        checkLocalizations(command.name_localizations, [...at, 'name_localizations'], 32, true);
        checkLocalizations(command.description_localizations, [...at, 'description_localizations'], 100, false);
        checkOptions(asArray(command.options), [...at, 'options'], 0);
      } else if (name.length < 1 || name.length > 32) {
        errors.add([...at, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
      }
      const key = `${type}:${name}`;
      if (seen.has(key)) errors.add([...at, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
      seen.set(key, index);
      if (JSON.stringify(command).length > 8000) errors.add(at, 'APPLICATION_COMMAND_TOO_LARGE', 'Command exceeds maximum size (8000)');
    });
    if ((perType.get(1) ?? 0) > 100) errors.add(basePath, 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  }

  private normalizeCommand(input: ApiObject, existing: ApiObject[], guildId: string | null): ApiObject {
    const type = typeof input.type === 'number' ? input.type : 1;
    const previous = existing.find((c) => c.name === input.name && c.type === type);
    const command: ApiObject = {
      id: previous?.id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      default_member_permissions: input.default_member_permissions ?? null,
      type,
      name: input.name,
      name_localizations: input.name_localizations ?? null,
      description: type === 1 ? (input.description ?? '') : '',
      description_localizations: input.description_localizations ?? null,
      contexts: input.contexts ?? null,
      integration_types: input.integration_types ?? [0],
      nsfw: input.nsfw ?? false,
    };
    if (Array.isArray(input.options) && input.options.length > 0) command.options = clone(input.options);
    if (guildId) command.guild_id = guildId;
    else command.dm_permission = input.dm_permission ?? true;
    return command;
  }

  // -------------------------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------------------------

  private route(method: string, pattern: string, auth: boolean, handler: (ctx: RouteContext) => HttpResult): void {
    const paramIndexes = pattern.split('/').flatMap((segment, index) => (segment.startsWith(':') ? [index] : []));
    this.routes.push({ method, regex: compilePattern(pattern), paramIndexes, auth, handler });
  }

  private async handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrival = performance.now();
    let entry: RecordedRequest | null = null;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      const versioned = url.pathname.startsWith('/api/v10/') || url.pathname === '/api/v10';
      const rawPath = versioned ? url.pathname.slice('/api/v10'.length) || '/' : url.pathname;
      // Routes percent-encode some segments (`@original` arrives as `%40original`): log and route decoded paths.
      const path = rawPath
        .split('/')
        .map((segment) => {
          try {
            return decodeURIComponent(segment).replace(/\//g, '%2F');
          } catch {
            return segment;
          }
        })
        .join('/');
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (key === 'authorization' || value === undefined) continue;
        headers[key] = Array.isArray(value) ? value.join(', ') : value;
      }
      const authorization = req.headers.authorization;
      const query = Object.fromEntries(url.searchParams.entries());
      entry = {
        seq: ++this.requestSeq,
        method,
        path,
        query,
        headers,
        authScheme: authorization ? (authorization.split(' ')[0] ?? '') : null,
        body: undefined,
        files: [],
        receivedAt: Date.now(),
        status: null,
        responseBody: undefined,
        faulted: false,
      };
      this.requestLog.push(entry);

      // Body
      const contentType = req.headers['content-type'] ?? '';
      let bodyError: HttpResult | null = null;
      if (raw.length > 0) {
        if (contentType.startsWith('multipart/form-data')) {
          const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
          const parts = parseMultipart(raw, boundary?.[1] ?? boundary?.[2] ?? '');
          const fields: ApiObject = {};
          for (const part of parts) {
            if (part.filename !== null) {
              entry.files.push({ field: part.name, filename: part.filename, contentType: part.contentType, size: part.data.length, data: part.data });
            } else if (part.name === 'payload_json') {
              try {
                Object.assign(fields, JSON.parse(part.data.toString('utf8')));
              } catch {
                bodyError = discordError(400, 50109, 'The request body contains invalid JSON.');
              }
            } else {
              fields[part.name] = part.data.toString('utf8');
            }
          }
          entry.body = fields;
        } else {
          const text = raw.toString('utf8');
          try {
            entry.body = JSON.parse(text);
          } catch {
            entry.body = text;
            bodyError = discordError(400, 50109, 'The request body contains invalid JSON.');
          }
        }
      }

      // Fault injection
      const fault = this.takeFault(method, path);
      if (fault) {
        if (fault.delayMs) await this.delay(fault.delayMs);
        if (this.closed) {
          res.destroy();
          return;
        }
        if (fault.status !== undefined) {
          entry.faulted = true;
          const headersOut: Record<string, string> = { ...fault.headers };
          const body = fault.body === undefined ? defaultErrorBody(fault.status) : fault.body;
          if (fault.status === 429) {
            const retryAfter = isObject(body) && typeof body.retry_after === 'number' ? body.retry_after : 0.01;
            headersOut['retry-after'] ??= String(retryAfter);
            headersOut['x-ratelimit-scope'] ??= 'user';
          }
          this.respond(res, entry, { status: fault.status, body, headers: headersOut });
          return;
        }
      }

      if (!versioned) {
        this.respond(res, entry, discordError(404, 0, '404: Not Found'));
        return;
      }
      const matching = this.routes.filter((r) => r.regex.test(path));
      const route = matching.find((r) => r.method === method);
      if (!route) {
        this.respond(res, entry, matching.length > 0 ? discordError(405, 0, '405: Method Not Allowed') : discordError(404, 0, '404: Not Found'));
        return;
      }
      if (route.auth && !this.isAuthorized(authorization)) {
        this.respond(res, entry, discordError(401, 0, '401: Unauthorized'));
        return;
      }
      if (bodyError) {
        this.respond(res, entry, bodyError);
        return;
      }
      const segments = path.split('/');
      const values = route.paramIndexes.map((i) => (segments[i] ?? '').replace(/%2F/g, '/'));
      const result = route.handler({ params: values, query, body: entry.body, files: entry.files, arrival });
      this.respond(res, entry, result);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      this.errorLog.push(err);
      if (entry && !res.headersSent) this.respond(res, entry, discordError(500, 0, '500: Internal Server Error'));
      else if (!res.headersSent) res.destroy();
    }
  }

  private isAuthorized(header: string | undefined): boolean {
    if (!header) return false;
    const match = /^Bot (\S+)$/.exec(header);
    if (!match) return false;
    return this.opts.token === undefined || match[1] === this.opts.token;
  }

  private respond(res: http.ServerResponse, entry: RecordedRequest, result: HttpResult): void {
    entry.status = result.status;
    entry.responseBody = clone(result.body);
    if (this.closed) {
      res.destroy();
      this.notify();
      return;
    }
    const headers: Record<string, string> = { via: 'fake-discord', ...result.headers };
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
    } else {
      const payload = JSON.stringify(result.body);
      res.writeHead(result.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), ...headers });
      res.end(payload);
    }
    this.notify();
  }

  private registerRoutes(): void {
    const body = (ctx: RouteContext): ApiObject => (isObject(ctx.body) ? ctx.body : {});
    const p = (ctx: RouteContext, index: number): string => ctx.params[index] ?? '';

    this.route('GET', '/gateway', false, () => json(200, { url: this.gatewayUrl }));
    this.route('GET', '/gateway/bot', true, () =>
      json(200, {
        url: this.gatewayUrl,
        shards: this.opts.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14400000, max_concurrency: this.opts.maxConcurrency },
      }),
    );
    this.route('GET', '/users/@me', true, () => json(200, this.botUser));
    this.route('GET', '/users/:id', true, (ctx) => {
      const user = this.users.get(p(ctx, 0));
      return user ? json(200, user) : discordError(404, 10013, 'Unknown User');
    });
    this.route('POST', '/users/@me/channels', true, (ctx) => {
      const recipient = str(body(ctx).recipient_id);
      const user = recipient ? this.users.get(recipient) : undefined;
      if (!user) return discordError(400, 50035, 'Invalid Form Body');
      return json(200, this.dmChannelFor(user));
    });
    this.route('GET', '/applications/@me', true, () => json(200, this.applicationPayload()));
    this.route('GET', '/oauth2/applications/@me', true, () => json(200, this.applicationPayload()));

    // Application commands ---------------------------------------------------------------
    const commandList = (ctx: RouteContext, guild: boolean): ApiObject[] | HttpResult => {
      if (p(ctx, 0) !== this.applicationId) return discordError(403, 50001, 'Missing Access');
      if (!guild) return this.globalCommands;
      const guildId = p(ctx, 1);
      if (!this.guildStates.has(guildId)) return discordError(403, 50001, 'Missing Access');
      let list = this.guildCommands.get(guildId);
      if (!list) {
        list = [];
        this.guildCommands.set(guildId, list);
      }
      return list;
    };
    for (const guild of [false, true]) {
      const base = guild ? '/applications/:app/guilds/:guild/commands' : '/applications/:app/commands';
      const idIndex = guild ? 2 : 1;
      this.route('GET', base, true, (ctx) => {
        const list = commandList(ctx, guild);
        return Array.isArray(list) ? json(200, list) : list;
      });
      this.route('PUT', base, true, (ctx) => {
        const list = commandList(ctx, guild);
        if (!Array.isArray(list)) return list;
        if (!Array.isArray(ctx.body)) return discordError(400, 50035, 'Invalid Form Body');
        const errors = new FormErrors();
        this.validateCommands(ctx.body, errors, []);
        if (errors.count > 0) return json(400, errors.toBody());
        const guildId = guild ? p(ctx, 1) : null;
        const next = ctx.body.map((c) => this.normalizeCommand(c as ApiObject, list, guildId));
        list.splice(0, list.length, ...next);
        return json(200, list);
      });
      this.route('POST', base, true, (ctx) => {
        const list = commandList(ctx, guild);
        if (!Array.isArray(list)) return list;
        const input = body(ctx);
        const errors = new FormErrors();
        this.validateCommands([input], errors, []);
        if (errors.count > 0) {
          const nested = (errors.root['0'] ?? {}) as ApiObject;
          return json(400, { message: 'Invalid Form Body', code: 50035, errors: nested });
        }
        const command = this.normalizeCommand(input, list, guild ? p(ctx, 1) : null);
        const index = list.findIndex((c) => c.id === command.id);
        if (index === -1) {
          list.push(command);
          return json(201, command);
        }
        list[index] = command;
        return json(200, command);
      });
      this.route('GET', `${base}/:command`, true, (ctx) => {
        const list = commandList(ctx, guild);
        if (!Array.isArray(list)) return list;
        const command = list.find((c) => c.id === p(ctx, idIndex));
        return command ? json(200, command) : discordError(404, 10063, 'Unknown application command');
      });
      this.route('PATCH', `${base}/:command`, true, (ctx) => {
        const list = commandList(ctx, guild);
        if (!Array.isArray(list)) return list;
        const index = list.findIndex((c) => c.id === p(ctx, idIndex));
        const current = list[index];
        if (!current) return discordError(404, 10063, 'Unknown application command');
        const merged = { ...current, ...body(ctx) };
        const errors = new FormErrors();
        this.validateCommands([merged], errors, []);
        if (errors.count > 0) return json(400, { message: 'Invalid Form Body', code: 50035, errors: errors.root['0'] ?? {} });
        const command = { ...this.normalizeCommand(merged, list, guild ? p(ctx, 1) : null), id: current.id };
        list[index] = command;
        return json(200, command);
      });
      this.route('DELETE', `${base}/:command`, true, (ctx) => {
        const list = commandList(ctx, guild);
        if (!Array.isArray(list)) return list;
        const index = list.findIndex((c) => c.id === p(ctx, idIndex));
        if (index === -1) return discordError(404, 10063, 'Unknown application command');
        list.splice(index, 1);
        return noContent();
      });
    }

    // Interactions ----------------------------------------------------------------------------
    this.route('POST', '/interactions/:id/:token/callback', false, (ctx) => this.onCallback(p(ctx, 0), p(ctx, 1), ctx));

    this.route('POST', '/webhooks/:app/:token', false, (ctx) => {
      const found = this.webhookInteraction(p(ctx, 0), p(ctx, 1));
      if ('status' in found) return found;
      const input = body(ctx);
      const errors = new FormErrors();
      this.validateMessage(input, [], errors);
      if (errors.count > 0) return json(400, errors.toBody());
      if (this.opts.validate && this.isEmptyMessage(input, ctx.files.length)) return this.emptyMessageError();
      const flags = typeof input.flags === 'number' ? input.flags & (MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2) : 0;
      const message = this.buildMessage({
        channelId: found.payload.channel_id ?? '',
        type: 0,
        body: input,
        files: ctx.files,
        interaction: found,
        webhook: true,
        flags,
      });
      this.storeMessage('followup', message, found, 'create', input);
      found.followupIds.push(message.id);
      return ctx.query.wait === 'true' ? json(200, message) : noContent();
    });

    const webhookMessage = (ctx: RouteContext): { interaction: InteractionRecord; record: MessageRecord } | HttpResult => {
      const found = this.webhookInteraction(p(ctx, 0), p(ctx, 1));
      if ('status' in found) return found;
      const messageId = p(ctx, 2) === '@original' ? found.originalMessageId : p(ctx, 2);
      const owned = messageId !== null && (messageId === found.originalMessageId || found.followupIds.includes(messageId));
      const record = owned ? this.messageStore.get(messageId) : undefined;
      if (!record || record.deleted) return unknownMessage();
      return { interaction: found, record };
    };
    this.route('GET', '/webhooks/:app/:token/messages/:message', false, (ctx) => {
      const found = webhookMessage(ctx);
      return 'status' in found ? found : json(200, found.record.message);
    });
    this.route('PATCH', '/webhooks/:app/:token/messages/:message', false, (ctx) => {
      const found = webhookMessage(ctx);
      if ('status' in found) return found;
      const input = body(ctx);
      const errors = new FormErrors();
      this.validateMessage(input, [], errors);
      if (errors.count > 0) return json(400, errors.toBody());
      const current = found.record.message;
      const after = {
        content: 'content' in input ? input.content : current.content,
        embeds: 'embeds' in input ? input.embeds : current.embeds,
        components: 'components' in input ? input.components : current.components,
        attachments: 'attachments' in input ? input.attachments : current.attachments,
        poll: current.poll,
      };
      if (this.opts.validate && this.isEmptyMessage(after, ctx.files.length)) return this.emptyMessageError();
      this.editMessage(found.record, input, ctx.files, 'edit');
      return json(200, found.record.message);
    });
    this.route('DELETE', '/webhooks/:app/:token/messages/:message', false, (ctx) => {
      const found = webhookMessage(ctx);
      if ('status' in found) return found;
      found.record.deleted = true;
      found.record.revisions.push({ at: Date.now(), action: 'delete', body: undefined, message: clone(found.record.message) });
      return noContent();
    });

    // Channels & guilds -----------------------------------------------------------------------
    this.route('GET', '/channels/:channel', true, (ctx) => {
      const found = this.findChannel(p(ctx, 0));
      return found ? json(200, found.channel) : discordError(404, 10003, 'Unknown Channel');
    });
    this.route('POST', '/channels/:channel/typing', true, (ctx) =>
      this.findChannel(p(ctx, 0)) ? noContent() : discordError(404, 10003, 'Unknown Channel'),
    );
    this.route('POST', '/channels/:channel/messages', true, (ctx) => {
      const found = this.findChannel(p(ctx, 0));
      if (!found) return discordError(404, 10003, 'Unknown Channel');
      const input = body(ctx);
      const errors = new FormErrors();
      this.validateMessage(input, [], errors);
      if (errors.count > 0) return json(400, errors.toBody());
      if (this.opts.validate && this.isEmptyMessage(input, ctx.files.length)) return this.emptyMessageError();
      const flags = typeof input.flags === 'number' ? input.flags & (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2) : 0;
      const message = this.buildMessage({ channelId: p(ctx, 0), type: 0, body: input, files: ctx.files, interaction: null, webhook: false, flags });
      if (found.guild) message.guild_id = found.guild.id;
      this.storeMessage('channel', message, null, 'create', input);
      return json(200, message);
    });
    const channelMessage = (ctx: RouteContext): MessageRecord | HttpResult => {
      if (!this.findChannel(p(ctx, 0))) return discordError(404, 10003, 'Unknown Channel');
      const record = this.messageStore.get(p(ctx, 1));
      return record && !record.deleted && record.channelId === p(ctx, 0) ? record : unknownMessage();
    };
    this.route('GET', '/channels/:channel/messages/:message', true, (ctx) => {
      const record = channelMessage(ctx);
      return 'status' in record ? record : json(200, record.message);
    });
    this.route('PATCH', '/channels/:channel/messages/:message', true, (ctx) => {
      const record = channelMessage(ctx);
      if ('status' in record) return record;
      if (record.message.author.id !== this.botUser.id) return discordError(403, 50005, 'Cannot edit a message authored by another user');
      const input = body(ctx);
      const errors = new FormErrors();
      this.validateMessage(input, [], errors);
      if (errors.count > 0) return json(400, errors.toBody());
      this.editMessage(record, input, ctx.files, 'edit');
      return json(200, record.message);
    });
    this.route('DELETE', '/channels/:channel/messages/:message', true, (ctx) => {
      const record = channelMessage(ctx);
      if ('status' in record) return record;
      record.deleted = true;
      record.revisions.push({ at: Date.now(), action: 'delete', body: undefined, message: clone(record.message) });
      return noContent();
    });
    const guildOf = (ctx: RouteContext): GuildState | HttpResult =>
      this.guildStates.get(p(ctx, 0)) ?? discordError(404, 10004, 'Unknown Guild');
    this.route('GET', '/guilds/:guild', true, (ctx) => {
      const guild = guildOf(ctx);
      if ('status' in guild) return guild;
      const { members: _m, channels: _c, voice_states: _v, presences: _p, threads: _t, ...rest } = this.guildCreatePayload(guild);
      return json(200, rest);
    });
    this.route('GET', '/guilds/:guild/channels', true, (ctx) => {
      const guild = guildOf(ctx);
      return 'status' in guild ? guild : json(200, guild.channels.map((c) => ({ ...c, guild_id: guild.id })));
    });
    this.route('GET', '/guilds/:guild/roles', true, (ctx) => {
      const guild = guildOf(ctx);
      return 'status' in guild ? guild : json(200, guild.roles);
    });
    this.route('GET', '/guilds/:guild/members/:user', true, (ctx) => {
      const guild = guildOf(ctx);
      if ('status' in guild) return guild;
      const member = guild.members.get(p(ctx, 1));
      return member ? json(200, this.memberPayload(member)) : discordError(404, 10007, 'Unknown Member');
    });
  }

  private webhookInteraction(appId: string, token: string): InteractionRecord | HttpResult {
    if (appId !== this.applicationId) return unknownWebhook();
    const id = this.tokens.get(token);
    const interaction = id ? this.interactions.get(id) : undefined;
    if (!interaction) return discordError(401, 50027, 'Invalid Webhook Token');
    if (interaction.ack === null) return unknownWebhook();
    return interaction;
  }

  private onCallback(id: string, token: string, ctx: RouteContext): HttpResult {
    const interaction = this.interactions.get(id);
    if (!interaction || interaction.token !== token) return unknownInteraction();
    if (interaction.dispatchedAt === null) return unknownInteraction();
    const elapsedMs = ctx.arrival - interaction.dispatchedAt;
    if (this.opts.interactionTimeoutMs !== null && elapsedMs > this.opts.interactionTimeoutMs) return unknownInteraction();
    if (interaction.ack !== null) return discordError(400, 40060, 'Interaction has already been acknowledged.');
    const input = isObject(ctx.body) ? ctx.body : {};
    const type = input.type;
    const allowed: Record<number, number[]> = {
      [InteractionType.ApplicationCommand]: [4, 5, 9, 12],
      [InteractionType.MessageComponent]: [4, 5, 6, 7, 9, 12],
      [InteractionType.ApplicationCommandAutocomplete]: [8],
      [InteractionType.ModalSubmit]: [4, 5, 6, 7],
    };
    if (typeof type !== 'number' || !(allowed[interaction.type] ?? []).includes(type)) {
      return json(400, {
        message: 'Invalid Form Body',
        code: 50035,
        errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Interaction response type ${String(type)} is not valid for interaction type ${interaction.type}` }] } },
      });
    }
    if ((type === 6 || type === 7) && interaction.componentMessageId === null) {
      return discordError(400, 50035, 'Invalid Form Body');
    }
    const data = isObject(input.data) ? input.data : null;
    const errors = new FormErrors();
    if (type === 4 || type === 7) {
      this.validateMessage(data ?? {}, ['data'], errors);
      if (errors.count > 0) return json(400, errors.toBody());
    }
    if (type === 4 && this.opts.validate && this.isEmptyMessage(data ?? {}, ctx.files.length)) return this.emptyMessageError();
    if (type === 8 && this.opts.validate) {
      const choices = data?.choices;
      if (!Array.isArray(choices)) errors.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
      else {
        if (choices.length > 25) errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
        choices.forEach((choice, index) => {
          const name = isObject(choice) ? str(choice.name) : undefined;
          if (name === undefined || name.length < 1 || [...name].length > 100) errors.add(['data', 'choices', index, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
          if (isObject(choice) && typeof choice.value === 'string' && [...choice.value].length > 100) errors.add(['data', 'choices', index, 'value'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
        });
      }
    }
    if (type === 9 && this.opts.validate) {
      const title = str(data?.title) ?? '';
      const customId = str(data?.custom_id) ?? '';
      if (title.length < 1 || [...title].length > 45) errors.add(['data', 'title'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
      if (customId.length < 1 || customId.length > 100) errors.add(['data', 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      const components = asArray(data?.components);
      if (components.length < 1 || components.length > 5) errors.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    }
    if (errors.count > 0) return json(400, errors.toBody());

    const channelId = interaction.payload.channel_id ?? '';
    let resourceMessage: ApiMessage | null = null;
    if (type === 4 || type === 5) {
      const messageType = interaction.type === InteractionType.ApplicationCommand ? 20 : 0;
      const requested = typeof data?.flags === 'number' ? data.flags : 0;
      const flags =
        type === 5
          ? (requested & MessageFlags.Ephemeral) | MessageFlags.Loading
          : requested & (MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2);
      const message = this.buildMessage({
        channelId,
        type: messageType,
        body: type === 4 ? (data ?? {}) : {},
        files: type === 4 ? ctx.files : [],
        interaction,
        webhook: true,
        flags,
      });
      this.storeMessage('original', message, interaction, type === 4 ? 'create' : 'defer', input);
      interaction.originalMessageId = message.id;
      resourceMessage = message;
    } else if (type === 6 || type === 7) {
      const record = interaction.componentMessageId ? this.messageStore.get(interaction.componentMessageId) : undefined;
      if (record) {
        interaction.originalMessageId = record.id;
        if (type === 7) this.editMessage(record, data ?? {}, ctx.files, 'update');
        resourceMessage = record.message;
      }
    }
    interaction.ack = type;
    const withResponse = ctx.query.with_response === 'true';
    this.callbackLog.push({
      interactionId: interaction.id,
      interactionToken: interaction.token,
      interactionType: interaction.type,
      type,
      data: clone(data),
      body: clone(input),
      files: ctx.files,
      withResponse,
      receivedAt: Date.now(),
      elapsedMs,
    });
    if (!withResponse) return noContent();
    const callbackObject: ApiObject = { id: interaction.id, type: interaction.type };
    if (resourceMessage) {
      callbackObject.response_message_id = resourceMessage.id;
      callbackObject.response_message_loading = (resourceMessage.flags & MessageFlags.Loading) !== 0;
      callbackObject.response_message_ephemeral = (resourceMessage.flags & MessageFlags.Ephemeral) !== 0;
    }
    const resource: ApiObject = { type };
    if (resourceMessage && type !== 6) resource.message = resourceMessage;
    return json(200, { interaction: callbackObject, resource });
  }

  // -------------------------------------------------------------------------------------------
  // Gateway
  // -------------------------------------------------------------------------------------------

  private onConnection(ws: WebSocket, req: http.IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const conn: Connection = {
      ws,
      session: null,
      transport: null,
      payloadCompression: false,
      deflate: null,
      chain: Promise.resolve(),
      closedByServer: false,
    };
    this.connections.add(conn);
    this.connectionsOpened++;
    ws.on('error', (error) => this.errorLog.push(error));
    ws.on('close', (code) => {
      this.connections.delete(conn);
      conn.deflate?.close();
      const session = conn.session;
      if (session && session.conn === conn) {
        session.conn = null;
        // A client that closes with 1000/1001 ends its session (as on Discord); other codes keep it resumable.
        if (!conn.closedByServer && (code === 1000 || code === 1001)) session.invalid = true;
      }
      this.notify();
    });
    ws.on('message', (data, isBinary) => this.onGatewayMessage(conn, data, isBinary));

    const version = url.searchParams.get('v');
    const encoding = url.searchParams.get('encoding') ?? 'json';
    if (version !== null && version !== '10') {
      this.closeConn(conn, 4012, 'Invalid API version');
      return;
    }
    if (encoding !== 'json') {
      this.closeConn(conn, 4002, 'Error while decoding payload.');
      return;
    }
    const compress = url.searchParams.get('compress');
    if (compress === 'zlib-stream') {
      conn.transport = 'zlib-stream';
      conn.deflate = zlib.createDeflate({ chunkSize: 65535 });
    }
    this.send(conn, { op: GatewayOp.Hello, d: { heartbeat_interval: this.opts.heartbeatIntervalMs, _trace: ['["fake-discord-gateway",{"micros":0}]'] }, s: null, t: null });
    this.notify();
  }

  private closeConn(conn: Connection, code: number, reason: string): void {
    conn.closedByServer = true;
    if (conn.session?.conn === conn) conn.session.conn = null;
    conn.ws.close(code, reason);
  }

  private send(conn: Connection, payload: unknown): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    const text = JSON.stringify(payload);
    if (conn.transport === 'zlib-stream' && conn.deflate) {
      const deflate = conn.deflate;
      conn.chain = conn.chain.then(
        () =>
          new Promise<void>((resolve) => {
            deflate.write(text);
            deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
              const chunks: Buffer[] = [];
              let chunk: Buffer | null;
              while ((chunk = deflate.read() as Buffer | null) !== null) chunks.push(chunk);
              if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(Buffer.concat(chunks));
              resolve();
            });
          }),
      );
      return;
    }
    if (conn.payloadCompression) {
      conn.ws.send(zlib.deflateSync(text));
      return;
    }
    conn.ws.send(text);
  }

  private dispatchTo(session: Session, t: string, d: unknown, onSent?: () => void): void {
    session.seq++;
    const event: GatewayEvent = { payload: { op: GatewayOp.Dispatch, t, s: session.seq, d }, onSent };
    session.events.push(event);
    if (session.events.length > MAX_STORED_EVENTS) session.events.shift();
    if (session.conn) {
      this.send(session.conn, event.payload);
      onSent?.();
    }
  }

  dispatchEvent(t: string, d: unknown): void {
    // Guild events carry the guild as `guild_id`, or as `id` for the guild object itself (GUILD_CREATE/UPDATE/DELETE).
    const guildId = !isObject(d) ? undefined : typeof d.guild_id === 'string' ? d.guild_id : /^GUILD_(CREATE|UPDATE|DELETE)$/.test(t) && typeof d.id === 'string' ? d.id : undefined;
    for (const session of this.sessions.values()) {
      if (!session.invalid && (guildId === undefined || this.owns(session, guildId))) this.dispatchTo(session, t, clone(d));
    }
  }

  /** Whether a session hears of this guild (null: direct messages, which go to shard 0). */
  private owns(session: Session, guildId: string | null): boolean {
    const [id, count] = session.shard;
    return guildId === null ? id === 0 : shardOfGuild(guildId, count) === id;
  }

  private onGatewayMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      const text = isBinary ? Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data as ArrayBuffer)]).toString('utf8') : data.toString();
      payload = JSON.parse(text);
    } catch {
      this.closeConn(conn, 4002, 'Error while decoding payload.');
      return;
    }
    if (!isObject(payload) || typeof payload.op !== 'number') {
      this.closeConn(conn, 4002, 'Error while decoding payload.');
      return;
    }
    const { op, d } = payload;
    const redacted = isObject(d) && 'token' in d ? { ...d, token: '[redacted]' } : clone(d);
    this.receivedLog.push({ at: Date.now(), op, d: redacted });
    try {
      switch (op) {
        case GatewayOp.Heartbeat:
          this.heartbeatCount++;
          this.send(conn, { op: GatewayOp.HeartbeatAck, d: null, s: null, t: null });
          break;
        case GatewayOp.Identify:
          this.onIdentify(conn, isObject(d) ? d : {});
          break;
        case GatewayOp.Resume:
          this.onResume(conn, isObject(d) ? d : {});
          break;
        case GatewayOp.PresenceUpdate:
        case GatewayOp.VoiceStateUpdate:
        case GatewayOp.RequestSoundboardSounds:
          if (!conn.session) this.closeConn(conn, 4003, 'Not authenticated.');
          break;
        case GatewayOp.RequestGuildMembers:
          if (!conn.session) this.closeConn(conn, 4003, 'Not authenticated.');
          else this.onRequestGuildMembers(conn.session, isObject(d) ? d : {});
          break;
        default:
          this.closeConn(conn, 4001, 'Unknown opcode.');
      }
    } catch (error) {
      this.errorLog.push(error instanceof Error ? error : new Error(String(error)));
    }
    this.notify();
  }

  private tokenOk(token: unknown): boolean {
    return typeof token === 'string' && token.length > 0 && (this.opts.token === undefined || token === this.opts.token);
  }

  /** IDENTIFY and RESUME alike: one session per connection, and a valid token. */
  private admit(conn: Connection, d: ApiObject): boolean {
    if (conn.session) {
      this.closeConn(conn, 4005, 'Already authenticated.');
      return false;
    }
    if (!this.tokenOk(d.token)) {
      this.closeConn(conn, 4004, 'Authentication failed.');
      return false;
    }
    return true;
  }

  private onIdentify(conn: Connection, d: ApiObject): void {
    if (!this.admit(conn, d)) return;
    const intents = d.intents;
    if (typeof intents !== 'number') {
      this.closeConn(conn, 4013, 'Invalid intent(s).');
      return;
    }
    if ((intents & this.opts.disallowedIntents) !== 0) {
      this.closeConn(conn, 4014, 'Disallowed intent(s).');
      return;
    }
    const shard = Array.isArray(d.shard) && d.shard.length === 2 ? (d.shard as [number, number]) : null;
    if (shard && (shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1])) {
      this.closeConn(conn, 4010, 'Invalid shard.');
      return;
    }
    this.identifyLog.push({
      at: Date.now(),
      intents,
      shard,
      compress: d.compress === true,
      properties: clone(d.properties),
      presence: clone(d.presence),
      largeThreshold: typeof d.large_threshold === 'number' ? d.large_threshold : null,
    });
    if (d.compress === true && conn.transport === null) conn.payloadCompression = true;
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, events: [], conn, invalid: false, intents, shard: shard ?? [0, 1] };
    this.sessions.set(session.id, session);
    conn.session = session;
    const guilds = [...this.guildStates.values()].filter((g) => this.owns(session, g.id));
    this.dispatchTo(session, 'READY', {
      v: 10,
      user_settings: {},
      user: this.botUser,
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.gatewayUrl,
      shard: shard ?? [0, 1],
      application: { id: this.applicationId, flags: this.opts.applicationFlags },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['local'],
      auth: {},
      _trace: ['["fake-discord-gateway",{"micros":0}]'],
    });
    for (const guild of guilds) {
      this.dispatchTo(session, 'GUILD_CREATE', clone(this.guildCreatePayload(guild)));
    }
    this.readyCount++;
  }

  private onResume(conn: Connection, d: ApiObject): void {
    if (!this.admit(conn, d)) return;
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    if (!session || session.invalid || seq > session.seq) {
      this.send(conn, { op: GatewayOp.InvalidSession, d: false, s: null, t: null });
      return;
    }
    const oldest = session.events[0]?.payload.s ?? session.seq + 1;
    if (seq + 1 < oldest) {
      // Missed events were trimmed: like Discord, refuse to resume.
      this.send(conn, { op: GatewayOp.InvalidSession, d: false, s: null, t: null });
      return;
    }
    if (session.conn && session.conn !== conn) this.closeConn(session.conn, 4000, 'Session resumed elsewhere');
    session.conn = conn;
    conn.session = session;
    for (const event of session.events) {
      if (event.payload.s > seq) {
        this.send(conn, event.payload);
        event.onSent?.();
      }
    }
    this.dispatchTo(session, 'RESUMED', { _trace: ['["fake-discord-gateway",{"micros":0}]'] });
    this.resumeCount++;
  }

  private onRequestGuildMembers(session: Session, d: ApiObject): void {
    const guildIds = Array.isArray(d.guild_id) ? d.guild_id.map(String) : [String(d.guild_id ?? '')];
    for (const guildId of guildIds) {
      const guild = this.guildStates.get(guildId);
      if (!guild || !this.owns(session, guildId)) continue;
      const userIds = Array.isArray(d.user_ids) ? d.user_ids.map(String) : typeof d.user_ids === 'string' ? [d.user_ids] : null;
      const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
      const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Infinity;
      const members = [...guild.members.values()]
        .filter((m) => (userIds ? userIds.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query)))
        .slice(0, limit);
      const chunk: ApiObject = {
        guild_id: guildId,
        members: members.map((m) => this.memberPayload(m)),
        chunk_index: 0,
        chunk_count: 1,
        not_found: userIds ? userIds.filter((id) => !guild.members.has(id)) : [],
      };
      if (d.nonce !== undefined) chunk.nonce = d.nonce;
      if (d.presences === true) chunk.presences = [];
      this.dispatchTo(session, 'GUILD_MEMBERS_CHUNK', chunk);
    }
  }

  /**
   * Drops every authenticated gateway connection. Without `code` the TCP connection is cut
   * (the client sees 1006 and resumes); with a code the socket is closed with it (e.g. 4000 →
   * resume, 1000 → the client re-identifies). Resolves once the server saw the socket close.
   * The session stays resumable: dispatches sent meanwhile are replayed on RESUME.
   */
  async dropConnection(options: { code?: number; reason?: string } = {}): Promise<void> {
    const targets = [...this.connections].filter((c) => c.ws.readyState === WebSocket.OPEN);
    if (targets.length === 0) throw new Error('No open gateway connection to drop');
    await Promise.all(
      targets.map(
        (conn) =>
          new Promise<void>((resolve) => {
            conn.ws.once('close', () => resolve());
            conn.closedByServer = true;
            if (conn.session?.conn === conn) conn.session.conn = null;
            if (options.code === undefined) conn.ws.terminate();
            else conn.ws.close(options.code, options.reason ?? '');
          }),
      ),
    );
  }

  /** Sends op 7 RECONNECT: the client closes (4200) and resumes. */
  requestReconnect(): void {
    for (const conn of this.connections) {
      if (conn.session) this.send(conn, { op: GatewayOp.Reconnect, d: null, s: null, t: null });
    }
  }

  /**
   * Sends op 9 INVALID_SESSION; when not resumable the session is forgotten and the client must identify again.
   * Note: @discordjs/ws spaces identifies 5 s apart (+ jitter); to keep tests fast, create the Client with
   * `ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) }`. Same for `dropConnection({ code: 1000 })`.
   */
  invalidateSession(resumable = false): void {
    for (const conn of this.connections) {
      if (!conn.session) continue;
      if (!resumable) {
        conn.session.invalid = true;
        conn.session.conn = null;
        conn.session = null;
      }
      this.send(conn, { op: GatewayOp.InvalidSession, d: resumable, s: null, t: null });
    }
  }
}

function inferOptionType(value: OptionValue | undefined): number {
  if (typeof value === 'boolean') return CommandOptionType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? CommandOptionType.Integer : CommandOptionType.Number;
  return CommandOptionType.String;
}

/** Starts the fake Discord on 127.0.0.1 (random port). */
export async function startDiscordServer(options: StartDiscordServerOptions = {}): Promise<DiscordTestServer> {
  const server = new FakeDiscord(options);
  await server.listen();
  return server;
}
