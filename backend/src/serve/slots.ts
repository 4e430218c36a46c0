/** The global limit on runs at once (`scheduler.concurrency`): a counting semaphore, first come first served. */
export class Slots {
  private used = 0;
  private readonly waiting: ((granted: boolean) => void)[] = [];

  constructor(private readonly limit: number) {}

  get inUse(): number {
    return this.used;
  }

  tryAcquire(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  /** Resolves true once a slot is ours, or false when the wait is cancelled (shutdown). */
  acquire(): Promise<boolean> {
    if (this.tryAcquire()) return Promise.resolve(true);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next(true); // the slot passes straight to the next waiter
    else this.used--;
  }

  cancelWaiting(): void {
    for (const w of this.waiting.splice(0)) w(false);
  }
}
