import { LRUCache } from 'lru-cache';
import type { LangPart } from './segment.js';

/**
 * One language's keys over every segment of a snapshot: a key's id in each segment and its
 * paragraph count over all of them. Nothing is merged up front (hundreds of thousands of keys
 * would cost a start-up a quarter of a second): a key is looked up in each segment's sorted
 * vocabulary when a question first uses it, and remembered.
 */
export class SharedVocabulary {
  private readonly index = new Map<LangPart, number>();
  private readonly known = new LRUCache<string, { ids: Int32Array; df: number }>({ max: 50_000 });

  constructor(private readonly parts: readonly LangPart[]) {
    parts.forEach((part, i) => this.index.set(part, i));
  }

  private lookUp(key: string): { ids: Int32Array; df: number } {
    let found = this.known.get(key);
    if (!found) {
      const ids = new Int32Array(this.parts.length);
      let df = 0;
      this.parts.forEach((part, i) => {
        const id = part.keys.id(key);
        ids[i] = id;
        if (id >= 0) df += part.df[id]!;
      });
      found = { ids, df };
      this.known.set(key, found);
    }
    return found;
  }

  /** The key's id in this segment's part, or -1 when the part never has it. */
  idIn(part: LangPart, key: string): number {
    const i = this.index.get(part);
    return i === undefined ? -1 : this.lookUp(key).ids[i]!;
  }

  /** How many paragraphs hold the key, over every segment. */
  documentFrequency(key: string): number {
    return this.lookUp(key).df;
  }
}

/**
 * A segment's keys: local id → key, and key → id by binary search over the ids sorted by key
 * (code-unit order). Stored as one string with offsets, so loading it creates one string.
 */
export class KeyTable {
  constructor(
    readonly text: string,
    /** Per id, where its key starts in `text`; one more for the end. */
    readonly offsets: Int32Array,
    /** The ids, in the order of their keys. */
    readonly order: Int32Array,
  ) {}

  static of(keys: readonly string[]): KeyTable {
    const offsets = new Int32Array(keys.length + 1);
    keys.forEach((k, i) => (offsets[i + 1] = offsets[i]! + k.length));
    const order = Int32Array.from(keys.keys()).sort((x, y) => (keys[x]! < keys[y]! ? -1 : 1));
    return new KeyTable(keys.join(''), offsets, order);
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  key(id: number): string {
    return this.text.slice(this.offsets[id]!, this.offsets[id + 1]!);
  }

  /** The key's id, or -1. */
  id(key: string): number {
    let lo = 0;
    let hi = this.order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const id = this.order[mid]!;
      const c = this.compare(id, key);
      if (c === 0) return id;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The id's key against `key`, in code units, without cutting the key out of the text. */
  private compare(id: number, key: string): number {
    const start = this.offsets[id]!;
    const length = this.offsets[id + 1]! - start;
    const n = Math.min(length, key.length);
    for (let i = 0; i < n; i++) {
      const d = this.text.charCodeAt(start + i) - key.charCodeAt(i);
      if (d !== 0) return d;
    }
    return length - key.length;
  }
}
