/**
 * A local Anthropic Messages API for tests: the real `@anthropic-ai/sdk` client talks to it over HTTP.
 *
 *   const server = await startAnthropicServer({ apiKey: 'test-key' });
 *   const client = new Anthropic({ apiKey: 'test-key', baseURL: server.baseURL, maxRetries: 0 });
 *   server.queue({ kind: 'error', status: 529 }); // the next request gets 529, later ones the handler
 *   const message = await client.messages.create({ model, max_tokens, messages });
 *   await server.close();
 *
 * What is emulated (as api.anthropic.com does it):
 * - `POST /v1/messages`, as JSON or, when the body has `stream: true`, as server-sent events in
 *   the real order: message_start, then per block content_block_start, (ping after the first
 *   start), content_block_delta (text_delta chunks, citations_delta, input_json_delta,
 *   thinking_delta + signature_delta), content_block_stop, then message_delta (stop_reason,
 *   usage), message_stop. `POST /v1/messages/count_tokens` answers `{ input_tokens }`.
 * - Checks made before any scripted reply: a key, in `x-api-key` or as `Authorization: Bearer`
 *   (SDK 1.14 sends the `apiKey` option as a Bearer token, not as `x-api-key`), equal to
 *   `options.apiKey` when one is given (401 authentication_error otherwise); `anthropic-version`
 *   present (400); a JSON object body with `model`, `max_tokens`, `messages` (400
 *   invalid_request_error); well-formed `search_result` blocks, with citations enabled on all or
 *   none of them (400). Turn the body checks off with `validate: false`.
 * - Errors carry the real body `{ type: 'error', error: { type, message } }` and a `request-id`
 *   header; `retry-after` / `retry-after-ms` / `x-should-retry` when asked for.
 * - Prompt caching: usage reports `cache_creation_input_tokens` for a cache_control prefix seen for
 *   the first time and `cache_read_input_tokens` when the same prefix comes again (tools, system,
 *   messages in that order, up to each breakpoint; top-level `cache_control` marks the last block).
 *   Token counts are estimates (4 characters a token), not a tokenizer's.
 *
 * Not emulated: minimum cacheable lengths, cache expiry, rate-limit headers, tools run by the
 * server, batches, files, models, beta headers.
 *
 * Notes on the SDK (1.14.0) that tests rely on:
 * - `retry-after: 0` (or `retry-after-ms: 0`) is not honoured as "retry now": the SDK only obeys a
 *   positive delay and otherwise waits its default backoff (0.375–0.5 s for the first retry). For a
 *   fast retry use `retryAfterMs: 1` (sends `retry-after-ms: 1`).
 * - The SDK's timer covers the wait for the response headers only: a `hang` (no headers) times
 *   out; a stream that stalls after its headers does not.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Anthropic from '@anthropic-ai/sdk';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

export type ContentBlock = Anthropic.ContentBlock;
export type TextBlock = Anthropic.TextBlock;
export type TextCitation = Anthropic.TextCitation;
export type StopReason = Anthropic.StopReason;
export type ErrorType = Anthropic.ErrorType | 'request_too_large';

/** The usage counters a reply may override; the rest are estimated from the request and content. */
export interface UsageCounts {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** The HTTP statuses an error reply may take, with the error type the API gives each by default. */
export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 408 | 409 | 413 | 429 | 500 | 502 | 503 | 504 | 529;

export interface MessageReply {
  kind: 'message';
  content: ContentBlock[];
  /** Default 'tool_use' when a tool_use block is in `content`, else 'end_turn'. */
  stopReason?: StopReason;
  usage?: Partial<UsageCounts>;
  /** Default: the request's model. */
  model?: string;
  /** Streaming only: words of text per text_delta (default: the server's, 2). */
  wordsPerDelta?: number;
  /** Streaming only: a pause before each event after message_start (default: the server's, 0). */
  eventDelayMs?: number;
}

export interface ErrorReply {
  kind: 'error';
  status: ErrorStatus;
  /** Default from the status: 429 rate_limit_error, 500 api_error, 529 overloaded_error, ... */
  type?: ErrorType;
  message?: string;
  /** Seconds, sent as `retry-after` (as the API does on 429). */
  retryAfter?: number;
  /** Milliseconds, sent as `retry-after-ms` (honoured by the SDK; use 1 for a fast retry). */
  retryAfterMs?: number;
  /** Sent as `x-should-retry: true|false`, which overrides the SDK's retry-by-status rule. */
  shouldRetry?: boolean;
}

/** No answer at all until the client gives up or the server closes. */
export interface HangReply {
  kind: 'hang';
}

/**
 * 200 with `content-type: application/json` and a body that is not JSON (default: a truncated
 * message). A streaming request gets a `message_start` event whose data is cut short.
 */
export interface InvalidJsonReply {
  kind: 'invalid-json';
  body?: string;
}

/** A well-formed message with no content blocks. */
export interface EmptyReply {
  kind: 'empty';
  stopReason?: StopReason;
}

export interface DelayReply {
  kind: 'delay';
  ms: number;
  then: Reply;
}

/**
 * An error in the middle of a stream (`event: error`, as the API sends when it overloads after
 * the 200): message_start, the first words of `content`'s first text block, then the error. A
 * non-streaming request gets the same error as an HTTP status (overloaded_error → 529, others 500).
 */
export interface StreamErrorReply {
  kind: 'stream-error';
  type?: ErrorType;
  message?: string;
  content?: ContentBlock[];
}

export type Reply = MessageReply | ErrorReply | HangReply | InvalidJsonReply | EmptyReply | DelayReply | StreamErrorReply;

export type MessagesRequest = Anthropic.MessageCreateParams;
export type ReplyHandler = (body: MessagesRequest, request: RecordedRequest) => Reply | Promise<Reply>;

/** The parsed JSON body as received (null when there was none, or it was not a JSON object). */
export interface RecordedBody {
  model?: unknown;
  system?: unknown;
  messages?: unknown;
  max_tokens?: unknown;
  stream?: unknown;
  [key: string]: unknown;
}

export interface RecordedRequest {
  readonly method: string;
  /** The path without the query, e.g. '/v1/messages'. */
  readonly path: string;
  /** The query string with its '?', or ''. */
  readonly query: string;
  /**
   * Lower-case names. The credentials are never kept: `x-api-key` and `authorization` are each
   * '[present]' or '[absent]'.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Where the key came: `x-api-key`, or `authorization: Bearer` (what SDK 1.14 sends), or neither. */
  readonly apiKeyVia: 'x-api-key' | 'bearer' | null;
  /** Whether the key sent equals `options.apiKey`; null when the server was given no key. */
  readonly apiKeyMatches: boolean | null;
  readonly body: RecordedBody | null;
  /** Date.now() when the request arrived. */
  readonly receivedAt: number;
  /** True when the body asked for a stream. */
  readonly stream: boolean;
  /** The HTTP status sent, once sent (null while none, e.g. during a hang). */
  status: number | null;
  /** What answered: a reply kind, or 'auth' / 'invalid-request' / 'not-found' / 'count-tokens'. */
  answeredWith: Reply['kind'] | 'auth' | 'invalid-request' | 'not-found' | 'count-tokens' | null;
  /** True when the client went away before the response was complete (abort, timeout). */
  aborted: boolean;
}

export interface AnthropicServerOptions {
  /** The key the client must send (`x-api-key` or `Authorization: Bearer`); sets `apiKeyMatches`. */
  apiKey?: string;
  /** Answer 401 when the key differs from `apiKey`. Default true when `apiKey` is given. */
  enforceApiKey?: boolean;
  /** Check the body (required fields, search_result blocks) and answer 400. Default true. */
  validate?: boolean;
  /** The responder when the queue is empty. Default: `groundedAnswer`. */
  handler?: ReplyHandler;
  /** Streaming: words of text per text_delta. Default 2. */
  wordsPerDelta?: number;
  /** Streaming: a pause before each event after message_start. Default 0. */
  eventDelayMs?: number;
  /** Streaming: citations_delta events after a block's text deltas (default) or before them. */
  citationsDelta?: 'after-text' | 'before-text';
}

export interface AnthropicTestServer {
  /** 'http://127.0.0.1:PORT', the SDK's `baseURL`. */
  readonly baseURL: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Replace the responder used when the queue is empty; no argument restores `groundedAnswer`. */
  respondWith(handler?: ReplyHandler): void;
  /** Replies used in order for the next /v1/messages requests, before the responder. */
  queue(...replies: Reply[]): void;
  /** How many queued replies are left. */
  readonly queued: number;
  /** Forget the cached prompt prefixes. */
  clearCache(): void;
  /** Ends hanging and streaming responses, drops connections, stops listening. Idempotent. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Content helpers
// ---------------------------------------------------------------------------------------------

/** A text block, as the API returns it (`citations: null` when there are none). */
export function textBlock(text: string, citations?: TextCitation[]): TextBlock {
  return { type: 'text', text, citations: citations && citations.length > 0 ? citations : null };
}

export interface SearchResultCitationInput {
  /** search_result_index: the position among all search_result blocks of the request. */
  index: number;
  /** start_block_index, default 0. */
  start?: number;
  /** end_block_index (exclusive), default start + 1. */
  end?: number;
  citedText: string;
  source: string;
  title: string | null;
}

export function searchResultCitation(c: SearchResultCitationInput): Anthropic.CitationsSearchResultLocation {
  const start = c.start ?? 0;
  const end = c.end ?? start + 1;
  if (!(end > start)) throw new RangeError(`end_block_index (${end}) must be greater than start_block_index (${start})`);
  return {
    type: 'search_result_location',
    search_result_index: c.index,
    start_block_index: start,
    end_block_index: end,
    cited_text: c.citedText,
    source: c.source,
    title: c.title,
  };
}

/** The first sentence of a text (the whole trimmed text when it has one sentence). */
export function firstSentence(text: string): string {
  const trimmed = text.trim();
  const match = /^.*?[.!?…](?=\s|$)/su.exec(trimmed);
  return match ? match[0] : trimmed;
}

// ---------------------------------------------------------------------------------------------
// The default responder
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Content blocks of every message, and those inside tool_result blocks, in request order. */
function* requestBlocks(messages: unknown): Generator<Json> {
  if (!Array.isArray(messages)) return;
  for (const message of messages) {
    if (!isObject(message) || !Array.isArray(message.content)) continue;
    for (const block of message.content) {
      if (!isObject(block)) continue;
      yield block;
      if (block.type === 'tool_result' && Array.isArray(block.content)) {
        for (const inner of block.content) if (isObject(inner)) yield inner;
      }
    }
  }
}

function citationsEnabled(block: Json): boolean {
  return isObject(block.citations) && block.citations.enabled === true;
}

function firstTextOf(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  for (const part of content) if (isObject(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
  return null;
}

export const NO_SOURCE_ANSWER = 'No source was provided to answer from.';

/**
 * The default responder: a grounded answer from the first search_result block (else the first
 * document block). The answer is the first sentence of the block's first text content; when the
 * block has citations enabled it carries one citation: for a search result a
 * `search_result_location` (index 0, blocks 0 to 1, `cited_text` = the whole first text block, as
 * the API cites whole blocks), for a plain-text document a `char_location` of the sentence, for a
 * content document a `content_block_location` (blocks 0 to 1). Without a source: NO_SOURCE_ANSWER.
 */
export function groundedAnswer(body: MessagesRequest): Reply {
  let firstDocument: Json | null = null;
  for (const block of requestBlocks(body.messages)) {
    if (block.type === 'search_result') {
      const text = firstTextOf(block.content) ?? '';
      const citations =
        citationsEnabled(block) ?
          [
            searchResultCitation({
              index: 0,
              start: 0,
              end: 1,
              citedText: text,
              source: String(block.source),
              title: typeof block.title === 'string' ? block.title : null,
            }),
          ]
        : undefined;
      return { kind: 'message', content: [textBlock(firstSentence(text), citations)] };
    }
    if (block.type === 'document' && firstDocument === null) firstDocument = block;
  }
  if (firstDocument) return documentAnswer(firstDocument);
  return { kind: 'message', content: [textBlock(NO_SOURCE_ANSWER)] };
}

function documentAnswer(doc: Json): Reply {
  const source = isObject(doc.source) ? doc.source : {};
  const title = typeof doc.title === 'string' ? doc.title : null;
  const cite = citationsEnabled(doc);
  if (source.type === 'text' && typeof source.data === 'string') {
    const sentence = firstSentence(source.data);
    const start = source.data.indexOf(sentence);
    const citation: Anthropic.CitationCharLocation = {
      type: 'char_location',
      cited_text: sentence,
      document_index: 0,
      document_title: title,
      start_char_index: start,
      end_char_index: start + sentence.length,
      file_id: null,
    };
    return { kind: 'message', content: [textBlock(sentence, cite ? [citation] : undefined)] };
  }
  if (source.type === 'content') {
    const text = firstTextOf(source.content) ?? '';
    const citation: Anthropic.CitationContentBlockLocation = {
      type: 'content_block_location',
      cited_text: text,
      document_index: 0,
      document_title: title,
      start_block_index: 0,
      end_block_index: 1,
      file_id: null,
    };
    return { kind: 'message', content: [textBlock(firstSentence(text), cite ? [citation] : undefined)] };
  }
  return { kind: 'message', content: [textBlock('The document was read.')] };
}

// ---------------------------------------------------------------------------------------------
// Validation (what the API rejects with 400 before the model runs)
// ---------------------------------------------------------------------------------------------

function validationError(body: Json): string | null {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
    return 'max_tokens: Field required';
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  for (const [i, message] of body.messages.entries()) {
    if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    }
    if (typeof message.content !== 'string' && !Array.isArray(message.content)) return `messages.${i}.content: Field required`;
  }
  let withCitations = 0;
  let searchResults = 0;
  for (const block of requestBlocks(body.messages)) {
    if (block.type !== 'search_result') continue;
    searchResults++;
    if (typeof block.source !== 'string' || typeof block.title !== 'string') {
      return 'search_result: source and title must be strings';
    }
    if (
      !Array.isArray(block.content) ||
      !block.content.every((part) => isObject(part) && part.type === 'text' && typeof part.text === 'string')
    ) {
      return 'search_result: content must be a list of text blocks';
    }
    if (citationsEnabled(block)) withCitations++;
  }
  if (withCitations > 0 && withCitations < searchResults) {
    return 'Citations must be enabled on all or none of the search results in a request.';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Usage and prompt caching
// ---------------------------------------------------------------------------------------------

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

interface Piece {
  json: string;
  breakpoint: '5m' | '1h' | null;
}

function breakpointOf(block: unknown): Piece['breakpoint'] {
  if (!isObject(block) || !isObject(block.cache_control)) return null;
  return block.cache_control.ttl === '1h' ? '1h' : '5m';
}

/** The prompt in cache order (tools, system, messages), one piece a block. */
function promptPieces(body: Json): Piece[] {
  const pieces: Piece[] = [];
  if (Array.isArray(body.tools)) for (const tool of body.tools) pieces.push({ json: JSON.stringify(['tool', tool]), breakpoint: breakpointOf(tool) });
  if (typeof body.system === 'string') pieces.push({ json: JSON.stringify(['system', body.system]), breakpoint: null });
  else if (Array.isArray(body.system)) for (const block of body.system) pieces.push({ json: JSON.stringify(['system', block]), breakpoint: breakpointOf(block) });
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) {
      if (!isObject(message)) continue;
      if (Array.isArray(message.content)) {
        for (const block of message.content) pieces.push({ json: JSON.stringify([message.role, block]), breakpoint: breakpointOf(block) });
      } else {
        pieces.push({ json: JSON.stringify([message.role, message.content]), breakpoint: null });
      }
    }
  }
  const last = pieces.at(-1);
  if (last && isObject(body.cache_control)) last.breakpoint = body.cache_control.ttl === '1h' ? '1h' : '5m';
  return pieces;
}

interface InputUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  ttl: '5m' | '1h';
}

/** Input usage of a request, recording its cache breakpoints as cached when `commit`. */
function inputUsage(body: Json, cache: Set<string>, commit: boolean): InputUsage {
  const pieces = promptPieces(body);
  const hash = createHash('sha256');
  let tokens = 0;
  const breakpoints: { key: string; tokens: number; ttl: '5m' | '1h' }[] = [];
  for (const piece of pieces) {
    hash.update(piece.json);
    tokens += estimateTokens(piece.json);
    if (piece.breakpoint) breakpoints.push({ key: hash.copy().digest('hex'), tokens, ttl: piece.breakpoint });
  }
  const last = breakpoints.at(-1);
  if (!last) return { input_tokens: Math.max(1, tokens), cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ttl: '5m' };
  let read = 0;
  for (let i = breakpoints.length - 1; i >= 0; i--) {
    const bp = breakpoints[i]!;
    if (cache.has(bp.key)) {
      read = bp.tokens;
      break;
    }
  }
  const creation = last.tokens - read;
  if (commit) for (const bp of breakpoints) cache.add(bp.key);
  return {
    input_tokens: Math.max(1, tokens - last.tokens),
    cache_creation_input_tokens: creation,
    cache_read_input_tokens: read,
    ttl: last.ttl,
  };
}

function outputTokens(content: ContentBlock[]): number {
  let tokens = 0;
  for (const block of content) {
    if (block.type === 'text') tokens += estimateTokens(block.text);
    else if (block.type === 'thinking') tokens += estimateTokens(block.thinking);
    else if (block.type === 'tool_use') tokens += estimateTokens(JSON.stringify(block.input ?? {}));
    else tokens += estimateTokens(JSON.stringify(block));
  }
  return Math.max(1, tokens);
}

function fullUsage(input: InputUsage, output: number, override: Partial<UsageCounts> | undefined): Anthropic.Usage {
  const counts: UsageCounts = {
    input_tokens: input.input_tokens,
    output_tokens: output,
    cache_creation_input_tokens: input.cache_creation_input_tokens,
    cache_read_input_tokens: input.cache_read_input_tokens,
    ...override,
  };
  return {
    ...counts,
    cache_creation: {
      ephemeral_5m_input_tokens: input.ttl === '5m' ? counts.cache_creation_input_tokens : 0,
      ephemeral_1h_input_tokens: input.ttl === '1h' ? counts.cache_creation_input_tokens : 0,
    },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    speed: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

const ERROR_DEFAULTS: Record<ErrorStatus, { type: ErrorType; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  402: { type: 'billing_error', message: 'Your credit balance is too low to access the Anthropic API.' },
  403: { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' },
  404: { type: 'not_found_error', message: 'The requested resource could not be found.' },
  408: { type: 'timeout_error', message: 'Request timed out.' },
  409: { type: 'conflict_error', message: 'Conflict.' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit.' },
  500: { type: 'api_error', message: 'Internal server error' },
  502: { type: 'api_error', message: 'Bad gateway' },
  503: { type: 'api_error', message: 'Service unavailable' },
  504: { type: 'timeout_error', message: 'Request timed out.' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

function errorBody(type: ErrorType, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message } });
}

// ---------------------------------------------------------------------------------------------
// Streaming
// ---------------------------------------------------------------------------------------------

/** Pieces of `text` of `words` words each (whitespace kept), whose concatenation is `text`. */
export function splitText(text: string, words: number): string[] {
  const tokens = text.match(/\s*\S+\s*/gu) ?? (text ? [text] : []);
  const chunks: string[] = [];
  for (let i = 0; i < tokens.length; i += Math.max(1, words)) chunks.push(tokens.slice(i, i + Math.max(1, words)).join(''));
  return chunks;
}

type SseEvent = { event: string; data: unknown };

function blockEvents(
  block: ContentBlock,
  index: number,
  words: number,
  citationsPosition: 'after-text' | 'before-text',
): SseEvent[] {
  const events: SseEvent[] = [];
  const delta = (d: unknown): SseEvent => ({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: d } });
  if (block.type === 'text') {
    const citations = block.citations ?? [];
    events.push({
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: citations.length ? [] : null } },
    });
    const citationEvents = citations.map((citation) => delta({ type: 'citations_delta', citation }));
    const textEvents = splitText(block.text, words).map((text) => delta({ type: 'text_delta', text }));
    events.push(...(citationsPosition === 'before-text' ? [...citationEvents, ...textEvents] : [...textEvents, ...citationEvents]));
  } else if (block.type === 'tool_use') {
    events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { ...block, input: {} } } });
    const json = JSON.stringify(block.input ?? {});
    const mid = Math.floor(json.length / 2);
    for (const part of [json.slice(0, mid), json.slice(mid)]) if (part) events.push(delta({ type: 'input_json_delta', partial_json: part }));
  } else if (block.type === 'thinking') {
    events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } } });
    for (const thinking of splitText(block.thinking, words)) events.push(delta({ type: 'thinking_delta', thinking }));
    events.push(delta({ type: 'signature_delta', signature: block.signature }));
  } else {
    events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: block } });
  }
  events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  return events;
}

function sse(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function redactHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  headers['x-api-key'] = raw['x-api-key'] ? '[present]' : '[absent]';
  headers.authorization = raw.authorization ? '[present]' : '[absent]';
  return headers;
}

/** The key a request carries: `x-api-key`, else an `Authorization: Bearer` token. */
function sentKey(raw: http.IncomingHttpHeaders): { key: string | null; via: RecordedRequest['apiKeyVia'] } {
  const header = raw['x-api-key'];
  if (typeof header === 'string' && header !== '') return { key: header, via: 'x-api-key' };
  const bearer = /^Bearer\s+(\S.*)$/i.exec(raw.authorization ?? '');
  if (bearer) return { key: bearer[1]!, via: 'bearer' };
  return { key: null, via: null };
}

export async function startAnthropicServer(options: AnthropicServerOptions = {}): Promise<AnthropicTestServer> {
  const requests: RecordedRequest[] = [];
  const pending: Reply[] = [];
  const cache = new Set<string>();
  const active = new Set<{ controller: AbortController; res: http.ServerResponse }>();
  let handler: ReplyHandler = options.handler ?? groundedAnswer;
  let counter = 0;
  let closing: Promise<void> | null = null;
  const enforceKey = options.apiKey !== undefined && options.enforceApiKey !== false;
  const validate = options.validate !== false;
  const defaultWords = options.wordsPerDelta ?? 2;
  const defaultDelay = options.eventDelayMs ?? 0;
  const citationsPosition = options.citationsDelta ?? 'after-text';

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      // A bug in a handler or here: answer 500 if still possible, never crash the test process.
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(errorBody('api_error', `test server: ${err instanceof Error ? err.message : String(err)}`));
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let parsed: unknown = null;
    let parseFailed = false;
    if (raw !== '') {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parseFailed = true;
      }
    }
    const body = isObject(parsed) ? (parsed as RecordedBody) : null;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const { key, via } = sentKey(req.headers);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      headers: redactHeaders(req.headers),
      apiKeyVia: via,
      apiKeyMatches: options.apiKey === undefined ? null : key === options.apiKey,
      body,
      receivedAt: Date.now(),
      stream: body?.stream === true,
      status: null,
      answeredWith: null,
      aborted: false,
    };
    requests.push(record);
    const n = ++counter;
    const requestId = `req_test_${String(n).padStart(6, '0')}`;

    const controller = new AbortController();
    const entry = { controller, res };
    active.add(entry);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
      controller.abort();
      active.delete(entry);
    });
    if (closing) {
      res.destroy();
      return;
    }

    const sendError = (status: number, type: ErrorType, message: string, extra: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...extra });
      res.end(errorBody(type, message));
    };

    if (key === null) {
      record.answeredWith = 'auth';
      return sendError(401, 'authentication_error', 'x-api-key header is required');
    }
    if (enforceKey && key !== options.apiKey) {
      record.answeredWith = 'auth';
      return sendError(401, 'authentication_error', via === 'bearer' ? 'Invalid bearer token' : 'invalid x-api-key');
    }
    const isMessages = url.pathname === '/v1/messages';
    const isCount = url.pathname === '/v1/messages/count_tokens';
    if (req.method !== 'POST' || (!isMessages && !isCount)) {
      record.answeredWith = 'not-found';
      return sendError(404, 'not_found_error', `Not found: ${req.method} ${url.pathname}`);
    }
    if (!req.headers['anthropic-version']) {
      record.answeredWith = 'invalid-request';
      return sendError(400, 'invalid_request_error', 'anthropic-version: header is required');
    }
    if (parseFailed || body === null) {
      record.answeredWith = 'invalid-request';
      return sendError(400, 'invalid_request_error', 'The request body is not valid JSON.');
    }
    if (validate) {
      const problem = isCount ? validationError({ max_tokens: 1, ...body }) : validationError(body);
      if (problem) {
        record.answeredWith = 'invalid-request';
        return sendError(400, 'invalid_request_error', problem);
      }
    }
    if (isCount) {
      record.answeredWith = 'count-tokens';
      record.status = 200;
      const usage = inputUsage(body, cache, false);
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
      res.end(JSON.stringify({ input_tokens: usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens }));
      return;
    }

    const reply = pending.shift() ?? (await handler(body as unknown as MessagesRequest, record));
    await deliver(reply, { body, record, res, signal: controller.signal, n, requestId, sendError });
  }

  interface Ctx {
    body: Json;
    record: RecordedRequest;
    res: http.ServerResponse;
    signal: AbortSignal;
    n: number;
    requestId: string;
    sendError: (status: number, type: ErrorType, message: string, extra?: Record<string, string>) => void;
  }

  async function deliver(reply: Reply, ctx: Ctx): Promise<void> {
    const { record, res, signal } = ctx;
    if (reply.kind === 'delay') {
      if (await pause(reply.ms, signal)) await deliver(reply.then, ctx);
      return;
    }
    record.answeredWith = reply.kind;
    switch (reply.kind) {
      case 'hang':
        // Nothing is written; the response ends when the client or close() drops the socket.
        return;
      case 'error': {
        const defaults = ERROR_DEFAULTS[reply.status];
        const extra: Record<string, string> = {};
        if (reply.retryAfter !== undefined) extra['retry-after'] = String(reply.retryAfter);
        if (reply.retryAfterMs !== undefined) extra['retry-after-ms'] = String(reply.retryAfterMs);
        if (reply.shouldRetry !== undefined) extra['x-should-retry'] = String(reply.shouldRetry);
        return ctx.sendError(reply.status, reply.type ?? defaults.type, reply.message ?? defaults.message, extra);
      }
      case 'invalid-json': {
        record.status = 200;
        if (record.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': ctx.requestId });
          res.end(`event: message_start\ndata: ${reply.body ?? '{"type":"message_start","message":{"id":"msg_'}\n\n`);
        } else {
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': ctx.requestId });
          res.end(reply.body ?? `{"id":"msg_test_${ctx.n}","type":"message","role":"assistant","content":[{"type":"text","text":"`);
        }
        return;
      }
      case 'stream-error': {
        const type = reply.type ?? 'overloaded_error';
        const message = reply.message ?? (type === 'overloaded_error' ? 'Overloaded' : 'Internal server error');
        if (!record.stream) return ctx.sendError(type === 'overloaded_error' ? 529 : 500, type, message);
        const message0 = messageObject(ctx, [], null, fullUsage(inputUsage(ctx.body, cache, false), 1, undefined));
        const events: SseEvent[] = [{ event: 'message_start', data: { type: 'message_start', message: message0 } }];
        const first = reply.content?.find((b): b is TextBlock => b.type === 'text');
        if (first) {
          const start = blockEvents(textBlock(first.text), 0, defaultWords, citationsPosition);
          events.push(start[0]!, start[1] ?? start[0]!);
        }
        events.push({ event: 'error', data: { type: 'error', error: { type, message } } });
        return streamEvents(ctx, events, defaultDelay);
      }
      case 'empty':
      case 'message': {
        const content = reply.kind === 'message' ? reply.content : [];
        const stopReason = reply.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
        const usage = fullUsage(inputUsage(ctx.body, cache, true), outputTokens(content), reply.kind === 'message' ? reply.usage : undefined);
        const model = reply.kind === 'message' && reply.model ? reply.model : String(ctx.body.model);
        if (!record.stream) {
          record.status = 200;
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': ctx.requestId });
          res.end(JSON.stringify(messageObject(ctx, content, stopReason, usage, model)));
          return;
        }
        const words = (reply.kind === 'message' ? reply.wordsPerDelta : undefined) ?? defaultWords;
        const delay = (reply.kind === 'message' ? reply.eventDelayMs : undefined) ?? defaultDelay;
        const startUsage = { ...usage, output_tokens: 1 };
        const events: SseEvent[] = [
          { event: 'message_start', data: { type: 'message_start', message: messageObject(ctx, [], null, startUsage, model) } },
        ];
        content.forEach((block, index) => {
          const blockEvts = blockEvents(block, index, words, citationsPosition);
          if (index === 0) blockEvts.splice(1, 0, { event: 'ping', data: { type: 'ping' } });
          events.push(...blockEvts);
        });
        if (content.length === 0) events.push({ event: 'ping', data: { type: 'ping' } });
        events.push(
          {
            event: 'message_delta',
            data: {
              type: 'message_delta',
              delta: { stop_reason: stopReason, stop_sequence: null, stop_details: null, container: null },
              usage: {
                input_tokens: usage.input_tokens,
                output_tokens: usage.output_tokens,
                cache_creation_input_tokens: usage.cache_creation_input_tokens,
                cache_read_input_tokens: usage.cache_read_input_tokens,
                output_tokens_details: null,
                server_tool_use: null,
              },
            },
          },
          { event: 'message_stop', data: { type: 'message_stop' } },
        );
        return streamEvents(ctx, events, delay);
      }
    }
  }

  function messageObject(
    ctx: Ctx,
    content: ContentBlock[],
    stopReason: StopReason | null,
    usage: Anthropic.Usage,
    model = String(ctx.body.model),
  ): Anthropic.Message {
    return {
      id: `msg_test_${String(ctx.n).padStart(6, '0')}`,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage,
    };
  }

  async function streamEvents(ctx: Ctx, events: SseEvent[], delayMs: number): Promise<void> {
    const { res, signal, record } = ctx;
    record.status = 200;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': ctx.requestId,
    });
    for (const [i, event] of events.entries()) {
      if (i > 0 && !(await pause(delayMs, signal))) return;
      if (signal.aborted) return;
      res.write(sse(event));
    }
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next?: ReplyHandler) {
      handler = next ?? groundedAnswer;
    },
    queue(...replies: Reply[]) {
      pending.push(...replies);
    },
    get queued() {
      return pending.length;
    },
    clearCache() {
      cache.clear();
    },
    close() {
      if (!closing) {
        closing = new Promise<void>((resolve) => {
          for (const { controller, res } of active) {
            controller.abort();
            res.destroy();
          }
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      return closing;
    },
  };
}
