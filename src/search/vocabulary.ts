import type { LangPart } from './segment.js';

/**
 * One language's keys over every segment of a snapshot: a key's id in each segment and its
 * paragraph count over all of them. Built once per snapshot from the segments' own
 * vocabularies, with one map for the whole corpus rather than one per segment.
 */
export class SharedVocabulary {
  private readonly global = new Map<string, number>();
  private readonly tables = new Map<LangPart, Int32Array>();
  private readonly counts: Int32Array;

  constructor(parts: readonly LangPart[]) {
    const globalIds = parts.map((part) => {
      const gids = new Int32Array(part.vocab.length);
      part.vocab.forEach((key, id) => {
        let g = this.global.get(key);
        if (g === undefined) {
          g = this.global.size;
          this.global.set(key, g);
        }
        gids[id] = g;
      });
      return gids;
    });
    this.counts = new Int32Array(this.global.size);
    parts.forEach((part, p) => {
      const table = new Int32Array(this.global.size).fill(-1);
      const gids = globalIds[p]!;
      for (let id = 0; id < gids.length; id++) {
        table[gids[id]!] = id;
        this.counts[gids[id]!]! += part.df[id]!;
      }
      this.tables.set(part, table);
    });
  }

  /** The key's id in this segment's part, or -1 when the part never has it. */
  idIn(part: LangPart, key: string): number {
    const g = this.global.get(key);
    return g === undefined ? -1 : (this.tables.get(part)?.[g] ?? -1);
  }

  /** How many paragraphs hold the key, over every segment. */
  documentFrequency(key: string): number {
    const g = this.global.get(key);
    return g === undefined ? 0 : this.counts[g]!;
  }
}
