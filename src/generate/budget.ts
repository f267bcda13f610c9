/**
 * Daily budgets for generated answers, per user and for everyone, counted per UTC day.
 * Over budget, answers stay extractive.
 */
export class DailyBudget {
  private day = '';
  private total = 0;
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly userLimit: number,
    private readonly globalLimit: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private roll(): void {
    const today = this.now().toISOString().slice(0, 10);
    if (today !== this.day) {
      this.day = today;
      this.total = 0;
      this.perUser.clear();
    }
  }

  /** Take one generation from the budgets; false (and nothing taken) when either is spent. */
  take(userId: string | undefined): boolean {
    this.roll();
    const used = userId ? this.perUser.get(userId) ?? 0 : 0;
    if (this.total >= this.globalLimit || (userId && used >= this.userLimit)) return false;
    this.total++;
    if (userId) this.perUser.set(userId, used + 1);
    return true;
  }
}
