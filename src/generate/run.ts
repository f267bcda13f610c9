import type Anthropic from '@anthropic-ai/sdk';
import type { GenerationSettings } from './client.js';
import { classify, GenerationError } from './errors.js';
import { NOT_FOUND_MARK, type SourcePassage } from './prompt.js';

export interface Citation {
  /** 1-based number shown to users. */
  n: number;
  article: string;
  paragraph: number;
  /** The cited sentences of the passage. */
  sentences: string[];
}

export interface Generated {
  text: string;
  notFound: boolean;
  citations: Citation[];
  /** False when the model cited nothing: the text is shown, marked as not checked against sources. */
  grounded: boolean;
  usage: { input: number; output: number; cacheCreation: number; cacheRead: number };
}

export interface RunOptions {
  settings: GenerationSettings;
  system: string;
  turn: Anthropic.Messages.MessageParam;
  passages: SourcePassage[];
  maxTokens: number;
  /** Called with the text so far as it streams. */
  onText?: (soFar: string) => void;
}

/**
 * One generation, streamed, within the overall deadline; its citations mapped back to the
 * passages sent. An answer with no citation, or one citing something that was not sent, is
 * not passed off as grounded: it fails, and the caller falls back.
 */
export async function runGeneration(options: RunOptions): Promise<Generated> {
  const { settings, passages } = options;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.timeoutMs);
  try {
    const stream = settings.client.messages.stream(
      {
        model: settings.model,
        max_tokens: options.maxTokens,
        // Fixed instructions first and cached; below the model's minimum it is silently skipped.
        system: [{ type: 'text', text: options.system, cache_control: { type: 'ephemeral' } }],
        messages: [options.turn],
      },
      { signal: controller.signal },
    );
    if (options.onText) stream.on('text', (_delta, snapshot) => options.onText!(snapshot));
    const message = await stream.finalMessage();
    return interpret(message, passages);
  } catch (err) {
    throw await classify(err, timedOut);
  } finally {
    clearTimeout(timer);
  }
}

function interpret(message: Anthropic.Messages.Message, passages: SourcePassage[]): Generated {
  const usage = {
    input: message.usage?.input_tokens ?? 0,
    output: message.usage?.output_tokens ?? 0,
    cacheCreation: message.usage?.cache_creation_input_tokens ?? 0,
    cacheRead: message.usage?.cache_read_input_tokens ?? 0,
  };
  if (message.stop_reason === 'refusal') throw new GenerationError('refused', 'the model declined');
  const blocks = (message.content ?? []).filter((b): b is Anthropic.Messages.TextBlock => b.type === 'text');
  const raw = blocks.map((b) => b.text).join('').trim();
  if (!raw) throw new GenerationError('empty', 'empty answer');
  if (raw.startsWith(NOT_FOUND_MARK)) return { text: '', notFound: true, citations: [], grounded: true, usage };
  const numbers = new Map<string, number>();
  const citations: Citation[] = [];
  let text = '';
  for (const block of blocks) {
    text += block.text;
    const marks = new Set<number>();
    for (const c of block.citations ?? []) {
      // Only search-result citations can be checked against what was sent; others are ignored.
      if (c.type !== 'search_result_location') continue;
      const passage = passages[c.search_result_index];
      if (!passage || c.start_block_index < 0 || c.end_block_index > passage.sentences.length || c.end_block_index <= c.start_block_index) {
        throw new GenerationError('ungrounded', 'a citation points at nothing that was sent');
      }
      const key = `${passage.article.id}#${passage.paragraph}`;
      let n = numbers.get(key);
      if (n === undefined) {
        n = numbers.size + 1;
        numbers.set(key, n);
        citations.push({ n, article: passage.article.id, paragraph: passage.paragraph, sentences: [] });
      }
      const entry = citations[n - 1]!;
      for (const s of passage.sentences.slice(c.start_block_index, c.end_block_index)) if (!entry.sentences.includes(s)) entry.sentences.push(s);
      marks.add(n);
    }
    if (marks.size) text = `${text.trimEnd()} ${[...marks].sort((a, b) => a - b).map((n) => `[${n}]`).join('')}`;
  }
  return { text: text.replace(/\s+/g, ' ').trim(), notFound: false, citations, grounded: citations.length > 0, usage };
}
