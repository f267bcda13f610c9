import { hashKey } from '../language/analyzer.js';
import type { LangPart } from './segment.js';

/**
 * One language's keys over every segment of a snapshot: a key's id in each segment and its
 * paragraph count over all of them. Nothing is merged up front (hundreds of thousands of keys
 * would cost a start-up a quarter of a second): a key is looked up in each segment's hash
 * table when a question first uses it, and remembered.
 */
const KNOWN_MAX = 50_000;

/** What is known of a key over every part: looked up once, kept while the key is in use. */
export interface KeyEntry {
  /** Its id in each part (in the vocabulary's order), -1 where absent. */
  readonly ids: Int32Array;
  /** How many paragraphs hold it. */
  readonly df: number;
  /** Its first-stage postings over every part, once the first stage has counted them (-1 before). */
  firstStagePostings: number;
}

export class SharedVocabulary {
  private readonly index = new Map<LangPart, number>();
  /**
   * Keys looked up so far. A plain map, emptied when full (as the analyzer's memo is): a
   * question looks keys up thousands of times, and an LRU's bookkeeping on each was a fifth
   * of the garbage a question made.
   */
  private readonly known = new Map<string, KeyEntry>();

  constructor(private readonly parts: readonly LangPart[]) {
    parts.forEach((part, i) => this.index.set(part, i));
  }

  /**
   * The key's id in each part (the parts in the order given; -1 where absent) and its
   * paragraph count: read once per key by loops over the parts, rather than per part.
   */
  entry(key: string): KeyEntry {
    let found = this.known.get(key);
    if (!found) {
      const ids = new Int32Array(this.parts.length);
      const hash = hashKey(key);
      let df = 0;
      this.parts.forEach((part, i) => {
        const id = part.keys.id(key, hash);
        ids[i] = id;
        if (id >= 0) df += part.df[id]!;
      });
      found = { ids, df, firstStagePostings: -1 };
      if (this.known.size >= KNOWN_MAX) this.known.clear();
      this.known.set(key, found);
    }
    return found;
  }

  /** The part's place in `entry(key).ids`, or -1 when it is not one of these parts. */
  indexOf(part: LangPart): number {
    return this.index.get(part) ?? -1;
  }

  /** The key's id in this segment's part, or -1 when the part never has it. */
  idIn(part: LangPart, key: string): number {
    const i = this.index.get(part);
    return i === undefined ? -1 : this.entry(key).ids[i]!;
  }

  /** How many paragraphs hold the key, over every segment. */
  documentFrequency(key: string): number {
    return this.entry(key).df;
  }
}

/**
 * A segment's keys: local id → key, and key → id through an open-addressing hash table
 * stored with them. Stored as one string with offsets, so loading it creates one string; the
 * table makes a question's new word one probe per segment instead of a binary search of
 * a dozen string comparisons in each (the first questions of a process paid for that).
 */
export class KeyTable {
  constructor(
    readonly text: string,
    /** Per id, where its key starts in `text`; one more for the end. */
    readonly offsets: Int32Array,
    /** The ids, in the order of their keys (code-unit order): ties in indexing go by it. */
    readonly order: Int32Array,
    /** Per id, its key's hash. */
    readonly hashes: Int32Array,
    /** Open addressing, a power of two at most half full: id + 1, or 0 for an empty slot. */
    readonly slots: Int32Array,
  ) {}

  /**
   * The table of these keys. With `previous`, the table whose keys are the first ones here
   * (an incremental build keeps its ids): their hashes are reused. `sorted`, when the caller
   * has it (a build thread ranks its keys), is the ids in the order of their keys.
   */
  static of(keys: readonly string[], previous?: KeyTable, sorted?: Int32Array): KeyTable {
    const offsets = new Int32Array(keys.length + 1);
    keys.forEach((k, i) => (offsets[i + 1] = offsets[i]! + k.length));
    const base = previous && previous.size <= keys.length ? previous.size : 0;
    const order =
      sorted && sorted.length === keys.length ? sorted : Int32Array.from(Array.from({ length: keys.length }, (_, i) => i).sort((x, y) => (keys[x]! < keys[y]! ? -1 : 1)));
    const hashes = new Int32Array(keys.length);
    if (base > 0) hashes.set(previous!.hashes.subarray(0, base));
    for (let id = base; id < keys.length; id++) hashes[id] = hashKey(keys[id]!);
    let size = 8;
    while (size < keys.length * 2) size *= 2;
    const slots = new Int32Array(size);
    hashes.forEach((h, id) => {
      let at = h & (size - 1);
      while (slots[at] !== 0) at = (at + 1) & (size - 1);
      slots[at] = id + 1;
    });
    return new KeyTable(keys.join(''), offsets, order, hashes, slots);
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  key(id: number): string {
    return this.text.slice(this.offsets[id]!, this.offsets[id + 1]!);
  }

  /** The key's id, or -1. `hash` is hashKey(key), when the caller already has it. */
  id(key: string, hash = hashKey(key)): number {
    const mask = this.slots.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const slot = this.slots[at]!;
      if (slot === 0) return -1;
      if (this.hashes[slot - 1] === hash && this.equals(slot - 1, key)) return slot - 1;
    }
  }

  /** Whether the id's key is `key`, without cutting the key out of the text. */
  private equals(id: number, key: string): boolean {
    const start = this.offsets[id]!;
    if (this.offsets[id + 1]! - start !== key.length) return false;
    for (let i = 0; i < key.length; i++) if (this.text.charCodeAt(start + i) !== key.charCodeAt(i)) return false;
    return true;
  }
}
