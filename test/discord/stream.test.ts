import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThrottledEditor } from '../../src/discord/stream.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ThrottledEditor', () => {
  it('edits at most once per interval, always with the latest text', async () => {
    const edits: string[] = [];
    const editor = new ThrottledEditor(async (t) => void edits.push(t), 1500);
    editor.push('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(edits).toEqual(['a']);
    editor.push('ab');
    editor.push('abc');
    await vi.advanceTimersByTimeAsync(1000);
    expect(edits).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(600);
    expect(edits).toEqual(['a', 'abc']);
    await editor.close();
    editor.push('late');
    await vi.advanceTimersByTimeAsync(5000);
    expect(edits).toEqual(['a', 'abc']);
  });

  it('waits for an edit in flight before closing, and reports failed edits without throwing', async () => {
    const errors: unknown[] = [];
    let release!: () => void;
    const editor = new ThrottledEditor(() => new Promise<void>((_, reject) => (release = () => reject(new Error('429')))), 1500, (e) => errors.push(e));
    editor.push('x');
    await vi.advanceTimersByTimeAsync(0);
    const closed = editor.close();
    release();
    await closed;
    expect(errors).toHaveLength(1);
  });
});
