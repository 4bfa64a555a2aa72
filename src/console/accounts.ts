/**
 * An account's page: its credit state and forecast (the credit domain's figures, dates in its time zone), its
 * requests and escalations (the queue's rows, every status), its users and its conversations.
 */
import type { Router } from 'express';
import { formatter } from '../locale/format.ts';
import { notFound } from '../shared/errors.ts';
import { isStorable } from '../shared/text.ts';
import { esc, page } from './html.ts';
import { backField, flash, type PageDeps, people, when } from './pages.ts';
import { parseFilter, queueItems, queueTable } from './queue.ts';

export function registerAccountPages(r: Router, deps: PageDeps) {
  r.get('/console/accounts/:id', async (req, res) => {
    const s = await deps.requireSession(req, res);
    if (!s) return;
    const id = String(req.params.id);
    if (!isStorable(id) || id.length > 300) throw notFound('No such page.');
    const account = await deps.db.prisma.account.findUnique({
      where: { id },
      select: {
        id: true,
        name: true,
        timeZone: true,
        locale: true,
        topUpDay: true,
        managerName: true,
        managerSlackUserId: true,
        managerEmail: true,
      },
    });
    if (!account) throw notFound(`Unknown account '${id}'.`);
    const now = deps.now();
    const [state, users, conversations, everyone, queue] = await Promise.all([
      deps.credits.getState(id, now),
      deps.db.prisma.platformUser.findMany({
        where: { accountId: id },
        select: { id: true, name: true, email: true },
        orderBy: { name: 'asc' },
        take: 200,
      }),
      deps.db.sql<{
        id: string;
        channel_id: string;
        user_id: string;
        user_name: string | null;
        created_at: Date;
        last_activity_at: Date;
        mode: string;
        messages: string | null;
      }>(
        `SELECT c.id, c.channel_id, c.user_id, u.name AS user_name, c.created_at, c.last_activity_at, c.mode,
                (SELECT count(*) FROM dl_activity d WHERE d.conversation_id = c.id AND d.activity->>'type' = 'message') AS messages
           FROM chat_conversation c LEFT JOIN platform_user u ON u.id = c.user_id
          WHERE c.account_id = $1 ORDER BY c.last_activity_at DESC LIMIT 50`,
        [id],
      ),
      people(deps.db),
      queueItems(
        deps.db,
        { ...parseFilter({ status: 'all' }), account: id },
        {
          now,
          operatorId: s.operator.email,
          limit: 100,
        },
      ),
    ]);
    const forecast = await deps.credits.forecast(id, 7, state);
    const f = formatter('en', state.timeZone);
    const fig = (label: string, value: string, note = '') =>
      `<div><span class="muted">${esc(label)}</span><strong>${esc(value)}</strong>${note ? `<span class="muted">${esc(note)}</span>` : ''}</div>`;
    const runway = forecast.runsOutAt
      ? `runs out ~${f.date(forecast.runsOutAt)}${forecast.runsOutBeforeTopUp ? ` (before the top-up, short by ${f.n(forecast.shortfall)})` : ''}`
      : 'no usage in the last 7 days';
    const manager = account.managerName
      ? `${esc(account.managerName)} <span class="muted">(Slack ${esc(account.managerSlackUserId ?? '?')}${account.managerEmail ? `, ${esc(account.managerEmail)}` : ''})</span>`
      : '<span class="muted">no account manager</span>';
    const conversationRows = conversations.rows.length
      ? `<table><thead><tr><th>Conversation</th><th>Customer</th><th>Channel</th><th>Started</th><th>Last activity</th><th>Messages</th></tr></thead><tbody>${conversations.rows
          .map(
            (
              c,
            ) => `<tr data-conversation="${esc(c.id)}"><td><a href="/console/conversations/${encodeURIComponent(c.id)}">${esc(c.id.slice(0, 24))}</a>${c.mode === 'human' ? ' <span class="badge escalation">with a person</span>' : ''}</td>
              <td>${esc(c.user_name ?? c.user_id)}</td><td>${esc(c.channel_id)}</td><td>${esc(when(c.created_at, state.timeZone))}</td>
              <td>${esc(when(c.last_activity_at, state.timeZone))}</td><td>${esc(c.messages ?? '0')}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="muted">No conversations yet.</p>';
    res.type('html').send(
      page(
        `${account.name}`,
        `${flash(req)}<div class="card"><h2>${esc(account.name)} <span class="muted">${esc(account.id)}</span></h2>
          <p><strong>Manager:</strong> ${manager} · <strong>Time zone:</strong> ${esc(state.timeZone)} · <strong>Locale:</strong> ${esc(account.locale)} · <strong>Top-up day:</strong> ${esc(account.topUpDay)}</p>
          <p><strong>Plan:</strong> ${esc(state.plan.name)}: ${esc(f.n(state.plan.monthlyCredits))} credits, ${esc(f.money(state.plan.price.amount, state.plan.price.currency))}/month${
            state.scheduledPlan
              ? ` · <span class="muted">${esc(state.scheduledPlan.name)} from ${esc(when(state.scheduledPlan.effectiveFrom, state.timeZone))}</span>`
              : ''
          }</p>
          <div class="figures" data-credit-state>
            ${fig('Balance', f.n(state.credits.balance))}
            ${fig('Used this period', f.n(state.credits.usedThisPeriod))}
            ${fig('Plan credits', f.n(state.credits.plan))}
            ${fig('Add-on', f.n(state.credits.addOn))}
            ${fig('Accumulated', f.n(state.credits.accumulated))}
            ${fig('Overage', f.n(state.credits.overage))}
            ${fig('Next top-up', f.date(state.nextTopUpAt))}
            ${fig('Burn rate (7 days)', `${f.n(Math.round(forecast.burnRatePerDay))}/day`, ` · ${runway}`)}
          </div>
          <p class="muted">Period ${esc(when(state.period.start, state.timeZone))} to ${esc(when(state.period.end, state.timeZone))}; figures as of ${esc(when(state.asOf, state.timeZone))}.</p></div>
        <div class="card"><h2>Requests and escalations (${queue.items.length}${queue.more ? '+' : ''})</h2>${queueTable(
          queue.items,
          { session: s, now, people: everyone, back: backField(req) },
          'No requests or escalations for this account.',
        )}</div>
        <div class="card"><h2>Conversations</h2>${conversationRows}</div>
        <div class="card"><h2>Users (${users.length})</h2>${
          users.length
            ? `<p>${users.map((u) => `${esc(u.name)} <span class="muted">${esc(u.id)}${u.email ? `, ${esc(u.email)}` : ''}</span>`).join('<br>')}</p>`
            : '<p class="muted">No users.</p>'
        }</div>`,
        { operator: s.operator.email, csrf: s.csrfToken },
      ),
    );
  });
}
