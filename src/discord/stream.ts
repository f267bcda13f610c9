/**
 * Streams text into a Discord message with at most one edit per interval: every edit is one
 * webhook request, and Discord rate-limits them. The last text always wins; edits never overlap.
 */
export class ThrottledEditor {
  private last = 0;
  private pending: string | null = null;
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly edit: (text: string) => Promise<unknown>,
    private readonly intervalMs = 1500,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  push(text: string): void {
    if (this.closed) return;
    this.pending = text;
    if (this.timer || this.inFlight) return;
    const wait = Math.max(0, this.last + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    if (this.closed || this.pending === null) return;
    const text = this.pending;
    this.pending = null;
    this.last = Date.now();
    this.inFlight = this.edit(text)
      .then(() => undefined, this.onError)
      .finally(() => {
        this.inFlight = null;
        if (this.pending !== null && !this.closed) this.push(this.pending);
      });
  }

  /** Stop streaming; resolves once no edit is in flight, so the final edit lands last. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }
}
