/**
 * Gathers the calls made during one turn of the event loop and sends them as one (docs/DECISIONS.md
 * 125): the first call of a turn schedules the send with `setImmediate`, so every request whose
 * data arrived in the same turn (the same socket read, the same Redis reply) shares the round trip.
 * Each caller still gets its own answer, or the batch's error.
 */
export class TurnBatch<Item, Answer> {
  private waiting: Array<{ item: Item; settle: (error: Error | null, answer?: Answer) => void }> = [];

  /**
   * @param send sends the items in order and answers one value per item, in the same order.
   * @param maxItems a batch this full is sent at once, without waiting for the end of the turn.
   */
  constructor(
    private readonly send: (items: Item[]) => Promise<Answer[]>,
    private readonly maxItems: number,
  ) {}

  add(item: Item): Promise<Answer> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ item, settle: (error, answer) => (error ? reject(error) : resolve(answer as Answer)) });
      if (this.waiting.length >= this.maxItems) this.flush();
    });
  }

  private flush(): void {
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    let sent: Promise<Answer[]>;
    try {
      sent = this.send(batch.map((entry) => entry.item));
    } catch (error) {
      sent = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    sent.then(
      (answers) => batch.forEach((entry, i) => entry.settle(null, answers[i])),
      (error: Error) => batch.forEach((entry) => entry.settle(error)),
    );
  }
}
