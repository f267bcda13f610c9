import { LRUCache } from 'lru-cache';

export type Vote = 'up' | 'down';

/** 👍/👎 on answers: one vote per user and answer (a new vote replaces the old), counted. */
export class Feedback {
  private readonly votes = new LRUCache<string, Map<string, Vote>>({ max: 10_000 });
  readonly totals = { up: 0, down: 0 };

  record(answerKey: string, userId: string, vote: Vote): { up: number; down: number } {
    const votes = this.votes.get(answerKey) ?? new Map<string, Vote>();
    const previous = votes.get(userId);
    if (previous) this.totals[previous]--;
    votes.set(userId, vote);
    this.totals[vote]++;
    this.votes.set(answerKey, votes);
    let up = 0;
    for (const v of votes.values()) if (v === 'up') up++;
    return { up, down: votes.size - up };
  }
}
