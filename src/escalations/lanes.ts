/**
 * Ordered work on one escalation's lane (delivering to the customer, mirroring to the thread): one worker at a
 * time per lane, across processes (a lease row), without holding a database connection while Slack or the chat
 * is called, and without a queue of waiting jobs:
 *
 * - A job that finds the lane busy simply ends: the holder delivers what that job was for. When the holder has
 *   released the lane it looks again, and anything committed meanwhile (whose job found the lane busy, so was
 *   committed before the release) is still delivered: by the holder, or by whoever took the lane in between.
 * - Work that must wait (a reply still settling) puts the holder's own job back for later, and only it.
 */
export interface LaneOps {
  /** takes the lane for `ms`, answering how to give it back, or null when someone else holds it */
  lease(ms: number): Promise<(() => Promise<void>) | null>;
  hasPending(): Promise<boolean>;
  /** does what is due now, in order; `waitMs` when some of it must wait */
  work(): Promise<{ done: number; waitMs?: number }>;
  /** puts this job back to run again in `ms` (BullMQ DelayedError): never returns */
  later(ms: number): Promise<never>;
}

const LEASE_MS = 60_000;
const MAX_PASSES = 10;

export async function drainLane(ops: LaneOps): Promise<{ done: number; busy?: true }> {
  let done = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const release = await ops.lease(LEASE_MS);
    if (!release) return { done, busy: true };
    let waitMs: number | undefined;
    try {
      const out = await ops.work();
      done += out.done;
      waitMs = out.waitMs;
    } finally {
      await release();
    }
    if (waitMs !== undefined) return ops.later(waitMs);
    if (!(await ops.hasPending())) return { done };
  }
  // Steady traffic: come back rather than hold the worker.
  return ops.later(100);
}
