import { inTransaction, type AppContext, type UnitOfWork } from '../context.ts';

/**
 * Group commit for request-sized units of work (a lab's post of 1,000 results): the units
 * waiting when the previous transaction ends are applied in one transaction, so one fsync
 * serves many requests (SQLite synchronous=FULL costs a disk flush per commit). Each request is
 * answered after that commit. If a group fails, each of its units is retried alone, so one bad
 * request never fails another.
 */
/** CORDON_INGEST_TRACE=1 prints each group's size and time (tuning). */
const TRACE = process.env.CORDON_INGEST_TRACE === '1';

export class GroupCommit<T, R> {
  private waiting: { unit: T; resolve(r: R): void; reject(e: unknown): void }[] = [];
  private running = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly apply: (uow: UnitOfWork, unit: T) => Promise<R>,
    private readonly maxUnits = 16,
  ) {}

  submit(unit: T): Promise<R> {
    const done = new Promise<R>((resolve, reject) => this.waiting.push({ unit, resolve, reject }));
    if (!this.running) void this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, this.maxUnits);
        try {
          const started = performance.now();
          let applied = 0;
          const results = await inTransaction(this.ctx, async (uow) => {
            const out: R[] = [];
            for (const w of group) out.push(await this.apply(uow, w.unit));
            applied = performance.now() - started;
            return out;
          });
          if (TRACE) {
            const ms = performance.now() - started;
            process.stderr.write(
              `[group-commit] ${group.length} units, applied ${applied.toFixed(1)} ms, committed ${ms.toFixed(1)} ms\n`,
            );
          }
          group.forEach((w, i) => w.resolve(results[i]));
        } catch {
          for (const w of group) {
            try {
              w.resolve(await inTransaction(this.ctx, (uow) => this.apply(uow, w.unit)));
            } catch (error) {
              w.reject(error);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}
