import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Lang } from '../language/lang.js';

/** What a button on an answer needs to act: the question and which passage answered it. */
export interface AnswerSession {
  question: string;
  lang: Lang;
  article?: string;
  paragraph?: number;
  userId: string;
}

/**
 * Buttons carry a short key; the answer they belong to is kept here for a while. Bounded,
 * so a busy server cannot grow it without limit; an expired key gets a polite reply.
 */
export class AnswerSessions {
  private readonly cache: LRUCache<string, AnswerSession>;

  constructor(max = 10_000, ttlMs = 24 * 3600_000) {
    this.cache = new LRUCache({ max, ttl: ttlMs });
  }

  remember(session: AnswerSession): string {
    const key = randomBytes(6).toString('base64url');
    this.cache.set(key, session);
    return key;
  }

  get(key: string): AnswerSession | undefined {
    return this.cache.get(key);
  }
}
