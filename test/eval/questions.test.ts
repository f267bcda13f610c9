import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { judge, parseQuestions } from '../../src/eval/checks.js';
import { ROOT, shippedEngine } from '../helpers.js';

let engine: Engine;
beforeAll(async () => {
  engine = await shippedEngine();
});

const own = parseQuestions(readFileSync(join(ROOT, 'test', 'eval', 'questions.jsonl'), 'utf8'));
// The shared reference set sits beside the checkout (on developers' machines and in CI).
const sharedFile = join(ROOT, '..', 'shared', 'eval', 'dev.jsonl');
const shared = existsSync(sharedFile) ? parseQuestions(readFileSync(sharedFile, 'utf8')) : [];

/**
 * Questions the engine is known to miss, with why. Each is a limit of word matching that
 * only a model (issue: generated answers) or coreference would get past.
 */
const KNOWN_MISSES: Record<string, string> = {
  q44: 'the answer paragraph says "the global climate event", not COP22, and "only during" for "again once it is over"',
};

describe('our question set', () => {
  it('has at least 40 questions: French, English, cross-language and unanswerable', () => {
    expect(own.length).toBeGreaterThanOrEqual(40);
    expect(own.filter((q) => q.lang && q.lang !== q.expect_lang).length).toBe(0);
    expect(own.filter((q) => q.lang).length).toBeGreaterThanOrEqual(5);
    expect(own.filter((q) => q.gold.length === 0).length).toBeGreaterThanOrEqual(8);
    expect(own.filter((q) => q.expect_lang === 'en').length).toBeGreaterThanOrEqual(15);
  });

  const answered = own.filter((q) => !(q.id in KNOWN_MISSES));
  it.each(answered.map((q) => [q.id, q.question, q] as const))('%s: %s', (_, __, q) => {
    const verdict = judge(q, engine.ask(q.question, { lang: q.lang ?? null }));
    expect(verdict.why).toEqual([]);
  });

  // Known misses stay in the set, expected to fail: the day one passes, this turns red and
  // the entry must go.
  const missed = own.filter((q) => q.id in KNOWN_MISSES);
  it.fails.each(missed.map((q) => [q.id, KNOWN_MISSES[q.id]!, q] as const))('%s is still missed: %s', (_, __, q) => {
    expect(judge(q, engine.ask(q.question, { lang: q.lang ?? null })).why).toEqual([]);
  });
});

// Written later, blind, in the way Discord users ask; used to measure, not to tune. Its pass
// rate is a floor that must not drop (README: figures).
const floors: [string, number][] = [
  ['heldout.jsonl', 0.8],
  ['blind2.jsonl', 0.75],
  ['blind3.jsonl', 0.75],
  ['blind4.jsonl', 0.75],
];
describe.each(floors)('the later question set %s', (file, floor) => {
  it(`passes at least ${Math.round(floor * 100)}% of its questions`, () => {
    const set = parseQuestions(readFileSync(join(ROOT, 'test', 'eval', file), 'utf8'));
    const passed = set.filter((q) => judge(q, engine.ask(q.question, { lang: q.lang ?? null })).pass).length;
    expect(passed / set.length).toBeGreaterThanOrEqual(floor);
  });
});

describe.runIf(shared.length > 0)('the shared reference questions', () => {
  it.each(shared.map((q) => [q.id, q.question, q] as const))('%s: %s', (_, __, q) => {
    expect(judge(q, engine.ask(q.question, { lang: q.lang ?? null })).why).toEqual([]);
  });
});
