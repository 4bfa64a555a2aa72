/**
 * Buy More and Change Plan: collect what is needed, show the price and the effect on balance and monthly
 * price, ask to confirm with buttons, then hand the request to the account manager. Also the status of
 * requests and cancelling a pending one.
 */
import { type CatalogPlan, quoteBuy, quotePlanChange } from '../../requests/pricing.ts';
import { AppError } from '../../shared/errors.ts';
import { bold, escapeMd, md } from '../markdown.ts';
import type { RequestSummary } from '../ports.ts';
import type { Draft, Reply, Suggestion } from '../types.ts';
import { adviceLine } from './advice.ts';
import { type AnswerCtx, ask, tr } from './context.ts';

export interface FlowResult {
  reply: Reply;
  draft: Draft | null;
}

const cancelDraftButton = (c: AnswerCtx): Suggestion => ({
  title: tr(c.lang, 'Cancel', 'Cancelar'),
  value: { action: 'draft.cancel' },
});

export async function startBuy(c: AnswerCtx, credits?: number): Promise<FlowResult> {
  if (credits !== undefined) return chooseBuy(c, { credits });
  const [s, packs, fc] = await Promise.all([c.state(), c.deps.catalog.packs(), c.forecast()]);
  const { f, lang } = c;
  const lines = [
    tr(
      lang,
      `You have ${f.credits(s.credits.balance)} until the top-up on ${f.date(s.nextTopUpAt)}.`,
      `Tienes ${f.credits(s.credits.balance)} hasta la recarga del ${f.date(s.nextTopUpAt)}.`,
    ),
  ];
  if (fc.shortfall > 0) {
    lines.push(
      tr(
        lang,
        `At your current pace you'd need about ${f.n(fc.shortfall)} more to get there.`,
        `A tu ritmo actual necesitarías unos ${f.n(fc.shortfall)} más para llegar.`,
      ),
    );
  }
  const suggestions: Suggestion[] = [];
  if (packs.length) {
    lines.push(tr(lang, 'Which pack would you like?', '¿Qué pack quieres?'));
    for (const p of packs) {
      suggestions.push({
        title: `${f.n(p.credits)} · ${f.money(p.price.amount, p.price.currency)}`,
        value: { action: 'buy.pick', packId: p.id },
      });
    }
  } else {
    const per1000 = Math.ceil((1_000 * s.plan.price.amount) / Math.max(1, s.plan.monthlyCredits));
    lines.push(
      tr(
        lang,
        `How many credits do you need? They cost ${f.money(per1000, s.plan.price.currency)} per 1,000, like your plan.`,
        `¿Cuántos créditos necesitas? Cuestan ${f.money(per1000, s.plan.price.currency)} cada 1.000, como tu plan.`,
      ),
    );
    for (const n of [1_000, 5_000, 10_000]) {
      suggestions.push({ title: f.credits(n), value: { action: 'buy.pick', credits: n } });
    }
  }
  suggestions.push(cancelDraftButton(c));
  return { reply: { text: lines.join(' '), suggestions }, draft: { kind: 'buy_credits', awaiting: 'amount' } };
}

export async function chooseBuy(c: AnswerCtx, want: { credits?: number; packId?: string }): Promise<FlowResult> {
  const [s, packs] = await Promise.all([c.state(), c.deps.catalog.packs()]);
  const { f, lang } = c;
  const res = quoteBuy(s.plan, packs, want);
  if (!res.ok) {
    if (res.reason === 'not_a_pack') {
      return {
        reply: {
          text: tr(
            lang,
            `Credits come in packs; the closest to ${f.n(want.credits ?? 0)} are:`,
            `Los créditos se venden en packs; los más cercanos a ${f.n(want.credits ?? 0)} son:`,
          ),
          suggestions: [
            ...res.nearest.map((p) => ({
              title: `${f.n(p.credits)} · ${f.money(p.price.amount, p.price.currency)}`,
              value: { action: 'buy.pick', packId: p.id },
            })),
            cancelDraftButton(c),
          ],
        },
        draft: { kind: 'buy_credits', awaiting: 'amount' },
      };
    }
    return {
      reply: {
        text: tr(
          lang,
          'Please tell me a whole number of credits, for example 2000.',
          'Dime un número entero de créditos, por ejemplo 2000.',
        ),
        suggestions: [cancelDraftButton(c)],
      },
      draft: { kind: 'buy_credits', awaiting: 'amount' },
    };
  }
  const q = res.quote;
  const text = [
    tr(
      lang,
      `**${f.credits(q.credits)}** for **${f.money(q.price.amount, q.price.currency)}** (one-off).`,
      `**${f.credits(q.credits)}** por **${f.money(q.price.amount, q.price.currency)}** (pago único).`,
    ),
    tr(
      lang,
      `Once approved your balance goes from ${f.n(s.credits.balance)} to ${f.n(s.credits.balance + q.credits)}; your monthly price stays ${f.money(s.plan.price.amount, s.plan.price.currency)}.`,
      `Cuando se apruebe, tu saldo pasará de ${f.n(s.credits.balance)} a ${f.n(s.credits.balance + q.credits)}; tu cuota mensual sigue siendo ${f.money(s.plan.price.amount, s.plan.price.currency)}.`,
    ),
    tr(
      lang,
      `Extra credits are valid until the next top-up on ${f.date(s.nextTopUpAt)} (${f.relative(s.nextTopUpAt, c.now)}).`,
      `Los créditos extra son válidos hasta la próxima recarga, el ${f.date(s.nextTopUpAt)} (${f.relative(s.nextTopUpAt, c.now)}).`,
    ),
    tr(
      lang,
      'Your account manager approves the purchase. Shall I send the request?',
      'Tu gestor de cuenta aprueba la compra. ¿Envío la solicitud?',
    ),
  ].join(' ');
  return {
    reply: {
      text,
      suggestions: [
        {
          title: tr(lang, 'Confirm request', 'Confirmar solicitud'),
          value: {
            action: 'draft.confirm',
            kind: 'buy_credits',
            credits: q.credits,
            packId: q.packId,
            nonce: c.turnId,
          },
        },
        cancelDraftButton(c),
      ],
    },
    draft: {
      kind: 'buy_credits',
      credits: q.credits,
      ...(q.packId ? { packId: q.packId } : {}),
      awaiting: 'confirm',
      nonce: c.turnId,
    },
  };
}

function findPlan(plans: CatalogPlan[], hint: { id?: string; name?: string }): CatalogPlan | undefined {
  if (hint.id) return plans.find((p) => p.id === hint.id);
  const name = hint.name?.toLowerCase().trim();
  return name ? plans.find((p) => p.name.toLowerCase() === name) : undefined;
}

export async function startPlanChange(c: AnswerCtx, hint?: { id?: string; name?: string }): Promise<FlowResult> {
  const [s, plans] = await Promise.all([c.state(), c.deps.catalog.plans()]);
  const { f, lang } = c;
  if (hint && (hint.id || hint.name)) {
    const target = findPlan(plans, hint);
    if (target && target.id !== s.plan.id) return choosePlan(c, target.id);
    if (!target && hint.name) {
      // A billing cycle or a plan we don't sell here (e.g. "annual"): the account manager handles it.
      return {
        reply: {
          text: tr(
            lang,
            `I can't arrange "${escapeMd(hint.name)}" from here: billing terms such as annual contracts are agreed with your account manager. These are the plans I can request for you:`,
            `No puedo gestionar "${escapeMd(hint.name)}" desde aquí: condiciones como la facturación anual se acuerdan con tu gestor de cuenta. Estos son los planes que puedo solicitar por ti:`,
          ),
          suggestions: planButtons(c, plans, s.plan.id),
        },
        draft: { kind: 'change_plan', awaiting: 'plan' },
      };
    }
  }
  const others = plans.filter((p) => p.id !== s.plan.id);
  if (others.length === 0) {
    return {
      reply: {
        text: tr(
          lang,
          'There are no other plans in the catalog right now; your account manager can prepare a custom one.',
          'Ahora mismo no hay otros planes en el catálogo; tu gestor de cuenta puede prepararte uno a medida.',
        ),
        suggestions: [ask(lang, 'talk_to_human')],
      },
      draft: null,
    };
  }
  return {
    reply: {
      text: md(
        tr(
          lang,
          `You're on ${bold(s.plan.name)}: ${f.credits(s.plan.monthlyCredits)} a month for ${f.money(s.plan.price.amount, s.plan.price.currency)}. Which plan would you like?`,
          `Tienes el plan ${bold(s.plan.name)}: ${f.credits(s.plan.monthlyCredits)} al mes por ${f.money(s.plan.price.amount, s.plan.price.currency)}. ¿A qué plan quieres cambiar?`,
        ),
        others.map(
          (p) =>
            `${bold(p.name)}: ${f.credits(p.monthlyCredits)}, ${f.n(p.identities)} ${tr(lang, 'identities', 'identidades')}, ${f.money(p.price.amount, p.price.currency)}${tr(lang, '/month', '/mes')}`,
        ),
      ),
      suggestions: planButtons(c, plans, s.plan.id),
    },
    draft: { kind: 'change_plan', awaiting: 'plan' },
  };
}

function planButtons(c: AnswerCtx, plans: CatalogPlan[], currentId: string | null | undefined): Suggestion[] {
  return [
    ...plans
      .filter((p) => p.id !== currentId)
      .map((p) => ({ title: `${p.name} · ${c.f.n(p.monthlyCredits)}`, value: { action: 'plan.pick', planId: p.id } })),
    cancelDraftButton(c),
  ];
}

export async function choosePlan(c: AnswerCtx, planId: string): Promise<FlowResult> {
  const [s, plans] = await Promise.all([c.state(), c.deps.catalog.plans()]);
  const { f, lang } = c;
  const target = plans.find((p) => p.id === planId);
  if (!target) return startPlanChange(c);
  if (target.id === s.plan.id) {
    return {
      reply: {
        text: tr(lang, `You're already on ${escapeMd(target.name)}.`, `Ya tienes el plan ${escapeMd(target.name)}.`),
        suggestions: planButtons(c, plans, s.plan.id),
      },
      draft: { kind: 'change_plan', awaiting: 'plan' },
    };
  }
  const q = quotePlanChange(s.plan, target, { start: new Date(s.period.start), end: new Date(s.period.end) }, c.now);
  const delta = q.monthlyPriceDelta.amount;
  const lines = [
    tr(
      lang,
      `${bold(target.name)}: ${f.credits(target.monthlyCredits)} a month and ${f.n(target.identities)} identities for **${f.money(target.price.amount, target.price.currency)}/month** (${delta >= 0 ? '+' : '−'}${f.money(Math.abs(delta), target.price.currency)} a month compared with ${escapeMd(s.plan.name)}).`,
      `${bold(target.name)}: ${f.credits(target.monthlyCredits)} al mes y ${f.n(target.identities)} identidades por **${f.money(target.price.amount, target.price.currency)}/mes** (${delta >= 0 ? '+' : '−'}${f.money(Math.abs(delta), target.price.currency)} al mes respecto a ${escapeMd(s.plan.name)}).`,
    ),
    q.effective === 'immediate'
      ? tr(
          lang,
          `As an upgrade it takes effect as soon as it's approved: you get about ${f.n(q.proratedCredits)} extra credits for the rest of this period (balance ${f.n(s.credits.balance)} → ${f.n(s.credits.balance + q.proratedCredits)}), billed about ${f.money(q.proratedPrice.amount, q.proratedPrice.currency)} prorated, and ${f.n(target.monthlyCredits)} credits from the top-up on ${f.date(s.nextTopUpAt)}. Your top-up date stays the same.`,
          `Como es una subida, se aplica en cuanto se apruebe: recibes unos ${f.n(q.proratedCredits)} créditos extra para el resto de este periodo (saldo ${f.n(s.credits.balance)} → ${f.n(s.credits.balance + q.proratedCredits)}), con un cargo prorrateado de unos ${f.money(q.proratedPrice.amount, q.proratedPrice.currency)}, y ${f.n(target.monthlyCredits)} créditos desde la recarga del ${f.date(s.nextTopUpAt)}. Tu fecha de recarga no cambia.`,
        )
      : tr(
          lang,
          `As a downgrade it takes effect at the next top-up on ${f.date(s.nextTopUpAt)}: until then you keep ${escapeMd(s.plan.name)} and your current ${f.n(s.credits.balance)} credits; from then on you get ${f.n(target.monthlyCredits)} a month.`,
          `Como es una bajada, se aplica en la próxima recarga, el ${f.date(s.nextTopUpAt)}: hasta entonces mantienes ${escapeMd(s.plan.name)} y tus ${f.n(s.credits.balance)} créditos actuales; a partir de ahí recibirás ${f.n(target.monthlyCredits)} al mes.`,
        ),
    await adviceLine(c, target),
    tr(
      lang,
      'Your account manager approves the change. Shall I send the request?',
      'Tu gestor de cuenta aprueba el cambio. ¿Envío la solicitud?',
    ),
  ].filter((l): l is string => typeof l === 'string');
  return {
    reply: {
      text: lines.join(' '),
      suggestions: [
        {
          title: tr(lang, 'Confirm request', 'Confirmar solicitud'),
          value: { action: 'draft.confirm', kind: 'change_plan', planId: target.id, nonce: c.turnId },
        },
        cancelDraftButton(c),
      ],
    },
    draft: { kind: 'change_plan', planId: target.id, awaiting: 'confirm', nonce: c.turnId },
  };
}

export async function confirmDraft(c: AnswerCtx, draft: Draft, idempotencyKey: string): Promise<FlowResult> {
  const { lang } = c;
  const { request, managerName, created } =
    draft.kind === 'buy_credits'
      ? await c.deps.requests.create(c.who, {
          kind: 'buy_credits',
          credits: draft.credits,
          packId: draft.packId ?? null,
          idempotencyKey,
        })
      : await c.deps.requests.create(c.who, { kind: 'change_plan', planId: draft.planId, idempotencyKey });
  const who = managerName ? escapeMd(managerName) : tr(lang, 'your account manager', 'tu gestor de cuenta');
  return {
    reply: {
      text: created
        ? tr(
            lang,
            `Done: request **${request.reference}** is with ${who}. I'll tell you here as soon as it's decided; you can also ask me for its status or cancel it while it's pending.`,
            `Hecho: la solicitud **${request.reference}** está con ${who}. Te aviso aquí en cuanto se decida; también puedes preguntarme su estado o cancelarla mientras esté pendiente.`,
          )
        : tr(
            lang,
            `Request **${request.reference}** was already sent.`,
            `La solicitud **${request.reference}** ya estaba enviada.`,
          ),
      suggestions: [
        ask(lang, 'request_status'),
        {
          title: tr(lang, 'Cancel this request', 'Cancelar esta solicitud'),
          value: { action: 'request.cancel', requestId: request.id },
        },
      ],
    },
    draft: null,
  };
}

function describe(c: AnswerCtx, r: RequestSummary): string {
  const { f, lang } = c;
  const what =
    r.kind === 'buy_credits'
      ? tr(
          lang,
          `${f.credits(r.credits)} (${f.money(r.price.amount, r.price.currency)})`,
          `${f.credits(r.credits)} (${f.money(r.price.amount, r.price.currency)})`,
        )
      : tr(lang, `change to ${escapeMd(r.targetPlanName ?? '')}`, `cambio a ${escapeMd(r.targetPlanName ?? '')}`);
  const status: Record<RequestSummary['status'], string> = {
    pending: tr(lang, 'pending approval', 'pendiente de aprobación'),
    approved: tr(lang, 'approved', 'aprobada'),
    rejected: tr(lang, 'rejected', 'rechazada'),
    cancelled: tr(lang, 'cancelled', 'cancelada'),
  };
  let line = `**${r.reference}** · ${what} · ${status[r.status]}`;
  if (r.decidedAt && r.status !== 'pending') {
    line += tr(lang, ` on ${f.date(r.decidedAt)}`, ` el ${f.date(r.decidedAt)}`);
    if (r.decidedBy) line += tr(lang, ` by ${escapeMd(r.decidedBy)}`, ` por ${escapeMd(r.decidedBy)}`);
  }
  if (r.status === 'rejected' && r.reason) line += ` (${escapeMd(r.reason)})`;
  if (r.status === 'approved' && r.effective === 'next_top_up') {
    line += tr(lang, ', effective at the next top-up', ', efectivo en la próxima recarga');
  }
  return line;
}

export async function requestStatus(c: AnswerCtx): Promise<Reply> {
  const list = (await c.deps.requests.list(c.who.accountId)).slice(0, 5);
  if (list.length === 0) {
    return {
      text: tr(
        c.lang,
        'Your account has no plan-change or credit requests yet.',
        'Tu cuenta aún no tiene solicitudes de cambio de plan ni de créditos.',
      ),
      suggestions: [ask(c.lang, 'balance')],
    };
  }
  const pending = list.filter((r) => r.status === 'pending');
  return {
    text: md(
      tr(c.lang, 'Your latest requests:', 'Tus últimas solicitudes:'),
      list.map((r) => describe(c, r)),
    ),
    suggestions: pending.map((r) => ({
      title: tr(c.lang, `Cancel ${r.reference}`, `Cancelar ${r.reference}`),
      value: { action: 'request.cancel', requestId: r.id },
    })),
  };
}

export async function cancelRequest(c: AnswerCtx, requestId?: string): Promise<Reply> {
  const { lang } = c;
  let id = requestId;
  if (!id) {
    const pending = (await c.deps.requests.list(c.who.accountId)).filter((r) => r.status === 'pending');
    if (pending.length === 0) {
      return {
        text: tr(lang, 'You have no pending requests to cancel.', 'No tienes solicitudes pendientes que cancelar.'),
        suggestions: [ask(lang, 'request_status')],
      };
    }
    if (pending.length > 1) {
      return {
        text: tr(lang, 'Which one should I cancel?', '¿Cuál cancelo?'),
        suggestions: pending.map((r) => ({ title: r.reference, value: { action: 'request.cancel', requestId: r.id } })),
      };
    }
    id = pending[0]!.id;
  }
  try {
    const r = await c.deps.requests.cancel(c.who, id);
    return {
      text: tr(
        lang,
        `Request **${r.reference}** is cancelled; nothing will change.`,
        `La solicitud **${r.reference}** está cancelada; no cambiará nada.`,
      ),
      suggestions: [ask(lang, 'balance')],
    };
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') {
      return {
        text: tr(lang, "I can't find that request on your account.", 'No encuentro esa solicitud en tu cuenta.'),
        suggestions: [ask(lang, 'request_status')],
      };
    }
    if (err instanceof AppError && err.code === 'conflict') {
      const status = (err.details as { status?: string } | undefined)?.status;
      return {
        text:
          status === 'approved'
            ? tr(
                lang,
                'It was already approved, so it can no longer be cancelled.',
                'Ya estaba aprobada, así que ya no se puede cancelar.',
              )
            : status === 'rejected'
              ? tr(lang, 'It was already rejected; nothing will change.', 'Ya estaba rechazada; no cambiará nada.')
              : tr(lang, 'It was already cancelled.', 'Ya estaba cancelada.'),
        suggestions: [ask(lang, 'request_status')],
      };
    }
    throw err;
  }
}
