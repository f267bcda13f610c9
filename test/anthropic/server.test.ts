import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  searchResultCitation,
  startAnthropicServer,
  textBlock,
  type AnthropicServerOptions,
  type AnthropicTestServer,
  type ErrorStatus,
} from './server.js';

const MODEL = 'claude-haiku-5-5';
const FIRST_TEXT = 'Le Parlement a adopté le budget mardi. Le vote a eu lieu à 18 h.';

const passages: Anthropic.SearchResultBlockParam[] = [
  {
    type: 'search_result',
    source: 'corpus/2024-05-01-budget.md',
    title: 'Budget 2025 adopté',
    content: [
      { type: 'text', text: FIRST_TEXT },
      { type: 'text', text: "L'opposition a voté contre." },
    ],
    citations: { enabled: true },
  },
  {
    type: 'search_result',
    source: 'corpus/2024-05-02-meteo.md',
    title: 'Orages dans le sud',
    content: [{ type: 'text', text: 'Des orages sont attendus jeudi.' }],
    citations: { enabled: true },
  },
];

function question(text = 'Quand le budget a-t-il été adopté ?'): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: MODEL,
    max_tokens: 512,
    system: 'Answer only from the search results, and cite them.',
    messages: [{ role: 'user', content: [...passages, { type: 'text', text }] }],
  };
}

let server: AnthropicTestServer;

async function start(options?: AnthropicServerOptions): Promise<void> {
  await server?.close();
  server = await startAnthropicServer(options);
}

function client(options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: server.baseURL, maxRetries: 0, timeout: 2_000, logLevel: 'off', ...options });
}

/** The rejection of a promise, failing when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

beforeEach(async () => {
  server = await startAnthropicServer({ apiKey: 'test-key' });
});

afterEach(async () => {
  await server.close();
});

describe('local Anthropic Messages API', () => {
  it('answers messages.create over search results with a grounded answer citing the first one', async () => {
    const message = await client().messages.create(question());

    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.model).toBe(MODEL);
    expect(message.stop_reason).toBe('end_turn');
    expect(message._request_id).toBe('req_test_000001');
    expect(message.content).toHaveLength(1);
    const block = message.content[0]!;
    if (block.type !== 'text') throw new Error(`unexpected block ${block.type}`);
    expect(block.text).toBe('Le Parlement a adopté le budget mardi.');
    expect(block.citations).toEqual([
      {
        type: 'search_result_location',
        search_result_index: 0,
        start_block_index: 0,
        end_block_index: 1,
        cited_text: FIRST_TEXT,
        source: 'corpus/2024-05-01-budget.md',
        title: 'Budget 2025 adopté',
      },
    ]);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(message.usage.cache_creation_input_tokens).toBe(0);
    expect(message.usage.cache_read_input_tokens).toBe(0);

    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/messages', stream: false, status: 200, answeredWith: 'message' });
    expect(request!.headers['anthropic-version']).toBeTruthy();
  });

  it('streams text deltas and citations that the SDK assembles into the final message', async () => {
    const text = 'Le budget a été adopté mardi soir par le Parlement, après un long débat.';
    const citation = searchResultCitation({
      index: 1,
      citedText: 'Des orages sont attendus jeudi.',
      source: 'corpus/2024-05-02-meteo.md',
      title: 'Orages dans le sud',
    });
    server.queue({ kind: 'message', content: [textBlock(text, [citation]), textBlock(' Fin.')] });

    const stream = client().messages.stream(question());
    const texts: string[] = [];
    const citations: Anthropic.TextCitation[] = [];
    const events: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    stream.on('citation', (c) => citations.push(c));
    stream.on('streamEvent', (event) => events.push(event.type));
    const final = await stream.finalMessage();

    expect(texts.length).toBeGreaterThan(2);
    expect(texts.join('')).toBe(text + ' Fin.');
    expect(citations).toEqual([citation]);
    expect(final.content).toEqual([textBlock(text, [citation]), { type: 'text', text: ' Fin.', citations: null }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(1);
    expect(events[0]).toBe('message_start');
    expect(events[1]).toBe('content_block_start');
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(server.requests[0]!.stream).toBe(true);
  });

  it('streams the default grounded answer with its citation', async () => {
    const stream = client().messages.stream(question());
    const citations: Anthropic.TextCitation[] = [];
    stream.on('citation', (c) => citations.push(c));
    const final = await stream.finalMessage();

    expect(await stream.finalText()).toBe('Le Parlement a adopté le budget mardi.');
    expect(citations).toHaveLength(1);
    expect(citations[0]).toMatchObject({ type: 'search_result_location', search_result_index: 0, start_block_index: 0, end_block_index: 1 });
    expect(final.content[0]).toMatchObject({ citations: citations });
  });

  it('can send citations_delta events before the text deltas of their block', async () => {
    await start({ citationsDelta: 'before-text' });
    const order: string[] = [];
    const stream = client().messages.stream(question());
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta') order.push(event.delta.type);
    });
    await stream.done();
    expect(order[0]).toBe('citations_delta');
    expect(order.slice(1).every((type) => type === 'text_delta')).toBe(true);
  });

  it('stops a stream when the client aborts it, and the server sees the client leave', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `mot${i}`).join(' ');
    server.queue({ kind: 'message', content: [textBlock(words)], eventDelayMs: 20 });

    const stream = client().messages.stream(question());
    const texts: string[] = [];
    stream.on('text', (delta) => {
      texts.push(delta);
      stream.abort();
    });
    const err = await rejection(stream.finalMessage());

    expect(err).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(stream.aborted).toBe(true);
    expect(texts.length).toBeLessThan(5);
    await vi.waitFor(() => expect(server.requests[0]!.aborted).toBe(true), { timeout: 1_000, interval: 10 });
  });

  it.each([
    [429, 'rate_limit_error', Anthropic.RateLimitError, 'RateLimitError'],
    [500, 'api_error', Anthropic.InternalServerError, 'InternalServerError'],
    [529, 'overloaded_error', Anthropic.OverloadedError, 'OverloadedError'],
    [400, 'invalid_request_error', Anthropic.BadRequestError, 'BadRequestError'],
    [401, 'authentication_error', Anthropic.AuthenticationError, 'AuthenticationError'],
  ] as const)('turns a %i reply into the SDK error %s when retries are off', async (status, type, ErrorClass, name) => {
    server.queue({ kind: 'error', status: status as ErrorStatus, retryAfter: 0 });
    const err = await rejection(client({ maxRetries: 0 }).messages.create(question()));

    expect(err).toBeInstanceOf(ErrorClass);
    const apiError = err as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.name).toBe(name);
    expect(apiError.status).toBe(status);
    expect(apiError.type).toBe(type);
    expect(apiError.requestID).toBe('req_test_000001');
    expect(apiError.error).toMatchObject({ type: 'error', error: { type } });
    expect(server.requests).toHaveLength(1);
  });

  it('gives an overloaded error that is also an InternalServerError', async () => {
    server.queue({ kind: 'error', status: 529 });
    const err = await rejection(client().messages.create(question()));
    expect(err).toBeInstanceOf(Anthropic.OverloadedError);
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
  });

  it('succeeds after a queued 529 when the client retries, honouring retry-after-ms', async () => {
    server.queue({ kind: 'error', status: 529, retryAfterMs: 1 });
    const message = await client({ maxRetries: 2 }).messages.create(question());

    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Le Parlement a adopté le budget mardi.' });
    expect(server.requests.map((r) => r.status)).toEqual([529, 200]);
    expect(server.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
    expect(server.queued).toBe(0);
  });

  it('retries after retry-after 0 too, but with the SDK default backoff since it ignores a zero delay', async () => {
    server.queue({ kind: 'error', status: 429, retryAfter: 0 });
    const message = await client({ maxRetries: 2 }).messages.create(question());

    expect(message.type).toBe('message');
    const [first, second] = server.requests;
    expect(first!.headers['retry-after']).toBeUndefined();
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(300);
  });

  it('does not retry when the reply says x-should-retry false', async () => {
    server.queue({ kind: 'error', status: 529, shouldRetry: false });
    const err = await rejection(client({ maxRetries: 2 }).messages.create(question()));
    expect(err).toBeInstanceOf(Anthropic.OverloadedError);
    expect(server.requests).toHaveLength(1);
  });

  it('makes the SDK time out on a hanging reply', async () => {
    server.queue({ kind: 'hang' });
    const started = Date.now();
    const err = await rejection(client({ timeout: 300 }).messages.create(question()));

    expect(err).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await vi.waitFor(() => expect(server.requests[0]!.aborted).toBe(true), { timeout: 1_000, interval: 10 });
    expect(server.requests[0]!.status).toBeNull();
  });

  it('ends a hanging request when the server closes', async () => {
    server.queue({ kind: 'hang' });
    const pending = rejection(client({ timeout: 5_000 }).messages.create(question()));
    await vi.waitFor(() => expect(server.requests).toHaveLength(1), { timeout: 1_000, interval: 5 });
    await server.close();
    expect(await pending).toBeInstanceOf(Anthropic.APIConnectionError);
  });

  it('answers after a delay', async () => {
    server.queue({ kind: 'delay', ms: 100, then: { kind: 'message', content: [textBlock('Plus tard.')] } });
    const started = Date.now();
    const message = await client().messages.create(question());
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(message.content).toEqual([textBlock('Plus tard.')]);
  });

  it('makes messages.create throw a plain SyntaxError on a 200 whose body is not JSON', async () => {
    server.queue({ kind: 'invalid-json' });
    const err = await rejection(client().messages.create(question()));

    expect(err).toBeInstanceOf(SyntaxError);
    expect(err).not.toBeInstanceOf(Anthropic.AnthropicError);
    expect(server.requests[0]).toMatchObject({ status: 200, answeredWith: 'invalid-json' });
  });

  it('makes messages.stream fail with an AnthropicError caused by a SyntaxError on a cut event', async () => {
    server.queue({ kind: 'invalid-json' });
    const stream = client().messages.stream(question());
    const err = await rejection(stream.finalMessage());

    expect(err).toBeInstanceOf(Anthropic.AnthropicError);
    expect(err).not.toBeInstanceOf(Anthropic.APIError);
    expect((err as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('returns a message with no content blocks for an empty reply, streamed or not', async () => {
    server.queue({ kind: 'empty' }, { kind: 'empty' });
    const message = await client().messages.create(question());
    expect(message.content).toEqual([]);
    expect(message.stop_reason).toBe('end_turn');

    const final = await client().messages.stream(question()).finalMessage();
    expect(final.content).toEqual([]);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('sends an overloaded error in the middle of a stream', async () => {
    server.queue({ kind: 'stream-error', content: [textBlock('Le début de la réponse')] });
    const stream = client().messages.stream(question());
    const texts: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    const err = await rejection(stream.finalMessage());

    expect(texts).toEqual(['Le début ']);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).type).toBe('overloaded_error');
  });

  it('never records the API key, but records whether it matched, and the model and system', async () => {
    const secret = 'sk-ant-test-0123456789-secret';
    await start({ apiKey: secret });
    await client({ apiKey: secret }).messages.create(question());
    const err = await rejection(client({ apiKey: 'sk-ant-wrong-key' }).messages.create(question()));

    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    const serialized = JSON.stringify(server.requests);
    expect(serialized).not.toContain(secret);
    expect(serialized).not.toContain('sk-ant-wrong-key');
    const [good, bad] = server.requests;
    expect(good!.headers.authorization).toBe('[present]');
    expect(good!.headers['x-api-key']).toBe('[absent]');
    expect(good!.apiKeyVia).toBe('bearer');
    expect(good!.apiKeyMatches).toBe(true);
    expect(bad!.apiKeyMatches).toBe(false);
    expect(bad).toMatchObject({ status: 401, answeredWith: 'auth' });
    expect(good!.body?.model).toBe(MODEL);
    expect(good!.body?.system).toBe('Answer only from the search results, and cite them.');
    expect(good!.receivedAt).toBeLessThanOrEqual(bad!.receivedAt);
  });

  it('accepts the key in x-api-key too, and records it only as present', async () => {
    const secret = 'sk-ant-test-in-x-api-key';
    await start({ apiKey: secret });
    const viaHeader = client({ apiKey: null, authToken: null, defaultHeaders: { 'x-api-key': secret } });
    await viaHeader.messages.create(question());

    const [request] = server.requests;
    expect(JSON.stringify(server.requests)).not.toContain(secret);
    expect(request!.headers['x-api-key']).toBe('[present]');
    expect(request!.headers.authorization).toBe('[absent]');
    expect(request!.apiKeyVia).toBe('x-api-key');
    expect(request!.apiKeyMatches).toBe(true);
  });

  it('reports a cache write on the first cached prompt and a cache read on the next', async () => {
    const cached = (text: string): Anthropic.MessageCreateParamsNonStreaming => ({
      ...question(text),
      system: [{ type: 'text', text: 'Answer only from the search results. '.repeat(20), cache_control: { type: 'ephemeral' } }],
    });
    const first = await client().messages.create(cached('Première question ?'));
    const second = await client().messages.create(cached('Deuxième question ?'));

    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(100);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.input_tokens).toBeGreaterThan(0);
  });

  it('uses a custom responder, and the queue before it', async () => {
    server.respondWith((body) => ({ kind: 'message', content: [textBlock(`model ${body.model}`)], stopReason: 'max_tokens' }));
    server.queue({ kind: 'message', content: [textBlock('queued')] });

    const first = await client().messages.create(question());
    const second = await client().messages.create(question());
    expect(first.content).toEqual([textBlock('queued')]);
    expect(second.content).toEqual([textBlock(`model ${MODEL}`)]);
    expect(second.stop_reason).toBe('max_tokens');
  });

  it('cites a plain-text document with a char_location when there is no search result', async () => {
    const message = await client().messages.create({
      model: MODEL,
      max_tokens: 256,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: 'Il pleut à Lyon. Il fait beau à Nice.' },
              title: 'Météo',
              citations: { enabled: true },
            },
            { type: 'text', text: 'Quel temps à Lyon ?' },
          ],
        },
      ],
    });
    expect(message.content).toEqual([
      textBlock('Il pleut à Lyon.', [
        {
          type: 'char_location',
          cited_text: 'Il pleut à Lyon.',
          document_index: 0,
          document_title: 'Météo',
          start_char_index: 0,
          end_char_index: 16,
          file_id: null,
        },
      ]),
    ]);
  });

  it('rejects search results with citations enabled on only some of them, as the API does', async () => {
    const params = question();
    const mixed: Anthropic.SearchResultBlockParam = { ...passages[1]!, citations: { enabled: false } };
    params.messages = [{ role: 'user', content: [passages[0]!, mixed, { type: 'text', text: 'Quoi ?' }] }];
    server.queue({ kind: 'message', content: [textBlock('never sent')] });

    const err = await rejection(client().messages.create(params));
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(server.queued).toBe(1);
  });
});
