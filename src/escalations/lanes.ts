/**
 * Ordered work on one escalation's lane (delivering to the customer, mirroring to the thread): one worker at a
 * time per lane, across processes (a lease row, renewed as the holder works), without holding a database
 * connection while Slack or the chat is called:
 *
 * - The holder does everything due, releases the lane, and looks again: anything committed meanwhile (whose own
 *   job found the lane busy, so was committed before the release) is still done, by the holder or by whoever took
 *   the lane in between.
 * - A job that finds the lane busy comes back when the lease would expire: a holder that died (a worker killed
 *   mid-post) is taken over within LEASE_MS; a live one has usually done the work by then.
 * - Work that must wait (a reply still settling) puts the holder's own job back for later.
 */
export interface LaneOps {
  /** takes the lane for `ms`, or says until when someone else holds it */
  lease(ms: number): Promise<{ release(): Promise<void>; renew(): Promise<void> } | { busyUntil: Date }>;
  hasPending(): Promise<boolean>;
  /** does what is due now, in order, calling `keep()` after each step; `waitMs` when some of it must wait */
  work(keep: () => Promise<void>): Promise<{ done: number; waitMs?: number }>;
  /** puts this job back to run again in `ms` (BullMQ DelayedError): never returns */
  later(ms: number): Promise<never>;
}

/** How long a holder keeps the lane without renewing it: also how long a dead holder blocks it. */
export const LEASE_MS = 8_000;
const MAX_PASSES = 10;

export async function drainLane(ops: LaneOps): Promise<{ done: number }> {
  let done = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const held = await ops.lease(LEASE_MS);
    if ('busyUntil' in held) {
      if (done > 0) return { done }; // we did our part; the current holder does the rest
      return ops.later(Math.max(200, held.busyUntil.getTime() - Date.now() + 100));
    }
    let waitMs: number | undefined;
    try {
      let lastRenew = Date.now();
      const out = await ops.work(async () => {
        if (Date.now() - lastRenew > LEASE_MS / 4) {
          await held.renew();
          lastRenew = Date.now();
        }
      });
      done += out.done;
      waitMs = out.waitMs;
    } finally {
      await held.release();
    }
    if (waitMs !== undefined) return ops.later(waitMs);
    if (!(await ops.hasPending())) return { done };
  }
  // Steady traffic: come back rather than hold the worker.
  return ops.later(100);
}
