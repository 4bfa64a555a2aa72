/**
 * Failed jobs: every queue's jobs that used up their attempts (kept 30 days), what failed and what they were
 * about (a link to the request's or the escalation's audit trail), each with a Retry form (CSRF-checked; the queue
 * board at /console/queues is read-only, so retries go through here). Jobs are idempotent, so a retry repeats no
 * side effect that already happened. Also the outbox rows the relay could not hand to BullMQ yet.
 */
import type { Job } from 'bullmq';
import type { Router } from 'express';
import { QUEUES, type QueueName } from '../jobs/catalog.ts';
import { esc, page } from './html.ts';
import { backTo, csrfField, flash, type PageDeps, when } from './pages.ts';

/** Failed jobs listed per queue. */
const MAX_FAILED = 100;

const isQueue = (q: unknown): q is QueueName => typeof q === 'string' && (QUEUES as readonly string[]).includes(q);

function subject(job: Job): string {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof data.requestId === 'string')
    parts.push(`<a href="/console/requests/${esc(data.requestId)}/trail">request audit trail</a>`);
  if (typeof data.escalationId === 'string')
    parts.push(`<a href="/console/escalations/${esc(data.escalationId)}/trail">escalation audit trail</a>`);
  if (typeof data.accountId === 'string')
    parts.push(`<a href="/console/accounts/${encodeURIComponent(data.accountId)}">account</a>`);
  return `<code>${esc(JSON.stringify(data).slice(0, 200))}</code>${parts.length ? `<br>${parts.join(' · ')}` : ''}`;
}

export function registerJobPages(r: Router, deps: PageDeps) {
  r.get('/console/jobs', async (req, res) => {
    const s = await deps.requireSession(req, res);
    if (!s) return;
    const only = isQueue(req.query.queue) ? [req.query.queue] : [...QUEUES];
    const csrf = csrfField(s);
    const [perQueue, stuck] = await Promise.all([
      Promise.all(
        only.map(async (name) => {
          const q = deps.queues[name];
          const [counts, failed] = await Promise.all([
            q.getJobCounts('failed', 'waiting', 'active', 'delayed'),
            q.getJobs(['failed'], 0, MAX_FAILED - 1, false),
          ]);
          return { name, counts, failed: failed.filter((j): j is Job => !!j) };
        }),
      ),
      deps.db.sql<{
        id: string;
        job_name: string;
        job_id: string;
        created_at: Date;
        attempts: number;
        last_error: string | null;
      }>(
        `SELECT id, job_name, job_id, created_at, attempts, last_error FROM outbox
          WHERE relayed_at IS NULL AND (attempts > 0 OR created_at < now() - interval '1 minute')
          ORDER BY id LIMIT 100`,
      ),
    ]);
    const sections = perQueue
      .map(({ name, counts, failed }) => {
        const rows = failed
          .map(
            (
              j,
            ) => `<tr data-failed-job="${esc(j.id)}" id="job-${esc(j.id)}"><td><strong>${esc(j.name)}</strong><br><span class="muted"><code>${esc(j.id)}</code></span></td>
              <td>${subject(j)}</td>
              <td class="overdue">${esc((j.failedReason ?? '').slice(0, 300))}</td>
              <td>${esc(j.attemptsMade)}/${esc(j.opts.attempts ?? 1)}<br><span class="muted">${esc(j.finishedOn ? when(new Date(j.finishedOn), 'UTC') : '')}</span></td>
              <td><form method="post" action="/console/jobs/retry">${csrf}<input type="hidden" name="queue" value="${esc(name)}"><input type="hidden" name="id" value="${esc(j.id)}"><button class="primary" type="submit">Retry</button></form></td></tr>`,
          )
          .join('');
        const all =
          failed.length > 1
            ? `<form method="post" action="/console/jobs/retry-all">${csrf}<input type="hidden" name="queue" value="${esc(name)}"><button type="submit">Retry all ${esc(counts.failed)} failed</button></form>`
            : '';
        return `<div class="card" data-queue="${esc(name)}"><h2>${esc(name)} <span class="muted">${esc(counts.failed ?? 0)} failed · ${esc(counts.waiting ?? 0)} waiting · ${esc(counts.active ?? 0)} running · ${esc(counts.delayed ?? 0)} delayed</span></h2>
          ${failed.length ? `<table><thead><tr><th>Job</th><th>About</th><th>Why it failed</th><th>Attempts · failed at (UTC)</th><th></th></tr></thead><tbody>${rows}</tbody></table>${all}` : '<p class="muted">No failed jobs.</p>'}</div>`;
      })
      .join('');
    const outbox = stuck.rows.length
      ? `<div class="card"><h2>Waiting in the outbox</h2><p class="muted">Written with their change but not handed to BullMQ yet (the relay retries on its own; Redis may be unreachable).</p>
          <table><thead><tr><th>Job</th><th>Written (UTC)</th><th>Relay attempts</th><th>Last error</th></tr></thead><tbody>${stuck.rows
            .map(
              (o) =>
                `<tr><td><strong>${esc(o.job_name)}</strong><br><code>${esc(o.job_id)}</code></td><td>${esc(when(o.created_at, 'UTC'))}</td><td>${esc(o.attempts)}</td><td>${esc(o.last_error ?? '')}</td></tr>`,
            )
            .join('')}</tbody></table></div>`
      : '';
    res.type('html').send(
      page(
        'Failed jobs',
        `${flash(req)}<div class="card"><h2>Failed jobs</h2><p class="muted">Jobs that used up their attempts. Retry runs one once more; what it already did (a Slack post, a webhook, a customer message) is not done twice. The <a href="/console/queues/">queue board</a> shows every state, read-only.</p>
          <p>${QUEUES.map((q) => `<a href="/console/jobs?queue=${q}">${q}</a>`).join(' · ')} · <a href="/console/jobs">all</a></p></div>${sections}${outbox}`,
        { operator: s.operator.email, csrf: s.csrfToken },
      ),
    );
  });

  r.post('/console/jobs/retry', deps.form, async (req, res) => {
    const s = await deps.requireSession(req, res);
    if (!s) return;
    const queue = req.body?.queue;
    const id = typeof req.body?.id === 'string' ? req.body.id.slice(0, 300) : '';
    let msg: string;
    if (!isQueue(queue) || !id) msg = 'Unknown queue or job.';
    else {
      const job = await deps.queues[queue].getJob(id);
      if (!job) msg = `No job ${id} in ${queue} (it may have been removed).`;
      else if (!(await job.isFailed())) msg = `${job.name} is not failed (${await job.getState()}): nothing to retry.`;
      else {
        await job.retry('failed');
        msg = `${job.name} is queued again.`;
      }
    }
    res.redirect(303, backTo(req, `/console/jobs${isQueue(queue) ? `?queue=${queue}` : ''}`, msg));
  });

  r.post('/console/jobs/retry-all', deps.form, async (req, res) => {
    const s = await deps.requireSession(req, res);
    if (!s) return;
    const queue = req.body?.queue;
    let msg: string;
    if (!isQueue(queue)) msg = 'Unknown queue.';
    else {
      const n = (await deps.queues[queue].getJobCounts('failed')).failed ?? 0;
      await deps.queues[queue].retryJobs({ state: 'failed', count: 1_000 });
      msg = `${n} failed job(s) of ${queue} queued again.`;
    }
    res.redirect(303, backTo(req, `/console/jobs${isQueue(queue) ? `?queue=${queue}` : ''}`, msg));
  });
}
