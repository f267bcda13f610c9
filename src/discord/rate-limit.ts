import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Per-user limit on /ask: `points` questions per `seconds`. */
export class AskRateLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(points: number, seconds: number) {
    this.limiter = new RateLimiterMemory({ points, duration: seconds });
  }

  /** 0 when the user may ask now, else how many seconds to wait. */
  async wait(userId: string): Promise<number> {
    try {
      await this.limiter.consume(userId);
      return 0;
    } catch (err) {
      if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw err;
    }
  }
}
