
export type GenerationFailure =
  | 'timeout'
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'connection'
  | 'invalid_response'
  | 'empty'
  | 'ungrounded'
  | 'refused'
  | 'budget'
  | 'error';

/** A generation that did not give a usable answer; the caller falls back to the extractive one. */
export class GenerationError extends Error {
  override name = 'GenerationError';
  constructor(
    readonly kind: GenerationFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sort anything the SDK or the network throws. A 200 whose body is not JSON surfaces as a
 * plain SyntaxError, so everything is caught, not only APIError. Messages never carry the key.
 */
export async function classify(err: unknown, timedOut: boolean): Promise<GenerationError> {
  if (err instanceof GenerationError) return err;
  // The SDK is imported when generation is configured (generate/client.ts): a request failed,
  // so it is loaded already and this import is immediate.
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  if (timedOut || err instanceof Anthropic.APIConnectionTimeoutError) return new GenerationError('timeout', 'the model did not answer in time');
  if (err instanceof Anthropic.RateLimitError) return new GenerationError('rate_limited', 'rate limited (429)');
  if (err instanceof Anthropic.APIError && err.status === 529) return new GenerationError('overloaded', 'overloaded (529)');
  if (err instanceof Anthropic.InternalServerError) return new GenerationError('server_error', `server error (${err.status})`);
  if (err instanceof Anthropic.APIUserAbortError) return new GenerationError('timeout', 'aborted');
  if (err instanceof Anthropic.APIConnectionError) return new GenerationError('connection', 'connection error');
  if (err instanceof Anthropic.APIError) return new GenerationError('error', `API error (${err.status ?? 'no status'})`);
  if (err instanceof SyntaxError || (err as { cause?: unknown })?.cause instanceof SyntaxError) {
    return new GenerationError('invalid_response', 'the response was not valid JSON');
  }
  return new GenerationError('error', err instanceof Error ? err.name : 'unknown error');
}
