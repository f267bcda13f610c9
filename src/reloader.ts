import type { Article } from './corpus/types.js';
import type { Engine, LoadStats } from './engine.js';

export interface ReloadReport {
  /** Whether the new corpus is now served (false: nothing valid loaded, the old one stays). */
  swapped: boolean;
  stats: LoadStats;
  added: string[];
  removed: string[];
  changed: string[];
}

/** An article's identity for "what changed": its file and its translations' files. */
function versionOf(article: Article): string {
  return [article.hash, ...Object.values(article.translations).map((t) => t?.hash)].join('+');
}

export function diffArticles(before: Article[], after: Article[]): Pick<ReloadReport, 'added' | 'removed' | 'changed'> {
  const old = new Map(before.map((a) => [a.id, versionOf(a)]));
  const now = new Map(after.map((a) => [a.id, versionOf(a)]));
  return {
    added: [...now.keys()].filter((id) => !old.has(id)).sort(),
    removed: [...old.keys()].filter((id) => !now.has(id)).sort(),
    changed: [...now.keys()].filter((id) => old.has(id) && old.get(id) !== now.get(id)).sort(),
  };
}

/**
 * Reloads the corpus one at a time: a reload asked while another runs waits for it, then
 * runs on what is on disk by then. The engine keeps answering from the old index meanwhile.
 */
export class Reloader {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly engine: Engine) {}

  reload(): Promise<ReloadReport> {
    const run = this.queue.then(async () => {
      const before = this.engine.articles;
      const { stats, swapped } = await this.engine.reload();
      const diff = swapped ? diffArticles(before, this.engine.articles) : { added: [], removed: [], changed: [] };
      return { swapped, stats, ...diff };
    });
    // A failed reload must not block the ones queued after it.
    this.queue = run.catch(() => undefined);
    return run;
  }
}
