import { GUILD } from './harness.js';
import type { DiscordTestServer } from './server.js';

export interface LoadResult {
  sent: number;
  answered: number;
  errors: number;
  ackMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  rssMb: { start: number; end: number; max: number };
  seconds: number;
}

const QUESTIONS = [
  'Quand la VoIP a-t-elle été rétablie ?',
  'Why was VoIP blocked in Morocco?',
  "Qui dirige l'ANRT par intérim ?",
  'How much money did Morocco lose because of the ban?',
  'Qui a gagné la Coupe du monde 2018 ?',
  'Which apps can people use to make calls again?',
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Send `rate` /ask interactions per second for `seconds` through the Discord test server and
 * measure the time from dispatch to the bot's acknowledgement, errors and memory.
 * Bounded in count and time, loopback only.
 */
export interface LoadTarget {
  server: DiscordTestServer;
  /** The bot's resident memory in MB. */
  rss(): number;
  /** Interactions the bot logged as failed. */
  failures(): number;
}

export async function runLoad(target: LoadTarget, rate: number, seconds: number): Promise<LoadResult> {
  const { server, rss } = target;
  const start = rss();
  let maxRss = start;
  const pending: Promise<number | null>[] = [];
  const started = Date.now();
  for (let tick = 0; tick < seconds * 10; tick++) {
    for (let i = 0; i < rate / 10; i++) {
      const n = pending.length;
      const sent = server.sendInteraction(
        server.slashCommand({ name: 'ask', options: { question: QUESTIONS[n % QUESTIONS.length]! }, user: { id: `17${String(n).padStart(16, '0')}`, username: `u${n}` }, guildId: GUILD, locale: n % 2 ? 'fr' : 'en-US' }),
      );
      pending.push(server.waitForCallback(sent.id, { timeoutMs: 10_000 }).then((cb) => (cb.type === 4 ? cb.elapsedMs : null), () => null));
    }
    maxRss = Math.max(maxRss, rss());
    const next = started + (tick + 1) * 100;
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  const acks = await Promise.all(pending);
  const ok = acks.filter((x): x is number => x !== null).sort((a, b) => a - b);
  const mean = ok.reduce((s, x) => s + x, 0) / Math.max(ok.length, 1);
  return {
    sent: pending.length,
    answered: ok.length,
    errors: pending.length - ok.length + target.failures(),
    ackMs: { mean, p50: percentile(ok, 50), p95: percentile(ok, 95), p99: percentile(ok, 99), max: ok.at(-1) ?? 0 },
    rssMb: { start, end: rss(), max: maxRss },
    seconds: (Date.now() - started) / 1000,
  };
}
