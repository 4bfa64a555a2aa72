/**
 * Buy More and Change Plan: collect what is needed, show the price and the effect on balance and monthly
 * price, ask to confirm with buttons, then hand the request to the account manager. Also the status of
 * requests and cancelling a pending one.
 */
import { type CatalogPlan, MAX_PURCHASE, quoteBuy, quotePlanChange } from '../../requests/pricing.ts';
import { AppError } from '../../shared/errors.ts';
import { bold, escapeMd, md } from '../markdown.ts';
import type { ChatDeps, RequestSummary } from '../ports.ts';
import type { Draft, Reply, Suggestion } from '../types.ts';
import { adviceLine } from './advice.ts';
import { type AnswerCtx, ask, buyButton, changePlanButton, tr } from './context.ts';

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

/** Whether a number of credits is one Buy More may request (a whole number from 1 to MAX_PURCHASE). */
export const requestable = (n: unknown): boolean =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_PURCHASE;

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
    if (res.reason === 'too_large') {
      return {
        reply: {
          text: tr(
            lang,
            `${f.credits(want.credits ?? 0)} would cost more than I can request from here; your account manager can arrange it. How many credits do you need?`,
            `${f.credits(want.credits ?? 0)} costarían más de lo que puedo solicitar desde aquí; tu gestor de cuenta puede gestionarlo. ¿Cuántos créditos necesitas?`,
          ),
          suggestions: [ask(lang, 'talk_to_human'), cancelDraftButton(c)],
        },
        draft: { kind: 'buy_credits', awaiting: 'amount' },
      };
    }
    // A typed amount, or a button value someone made by hand: say what can be requested.
    return {
      reply: {
        text:
          want.credits === undefined
            ? tr(
                lang,
                'Please tell me a whole number of credits, for example 2000.',
                'Dime un número entero de créditos, por ejemplo 2000.',
              )
            : tr(
                lang,
                `I can request between 1 and ${f.n(MAX_PURCHASE)} whole credits at a time; for more, your account manager can help. How many credits do you need?`,
                `Puedo solicitar entre 1 y ${f.n(MAX_PURCHASE)} créditos enteros cada vez; para más, tu gestor de cuenta puede ayudarte. ¿Cuántos créditos necesitas?`,
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
  let sent: Awaited<ReturnType<ChatDeps['requests']['create']>>;
  try {
    sent =
      draft.kind === 'buy_credits'
        ? await c.deps.requests.create(c.who, {
            kind: 'buy_credits',
            credits: draft.credits,
            packId: draft.packId ?? null,
            idempotencyKey,
          })
        : await c.deps.requests.create(c.who, { kind: 'change_plan', planId: draft.planId, idempotencyKey });
  } catch (err) {
    if (err instanceof AppError && err.expected) return { reply: notSent(c, draft, err), draft: null };
    throw err;
  }
  const { request, managerName, created } = sent;
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

/** Why a confirmed draft did not become a request (the quote is recomputed, never taken from the button). */
function notSent(c: AnswerCtx, draft: Draft, err: AppError): Reply {
  const { lang } = c;
  const pendingId = (err.details as { requestId?: unknown } | undefined)?.requestId;
  if (err.code === 'conflict' && typeof pendingId === 'string') {
    return {
      text: tr(
        lang,
        'A plan change is already pending: cancel it first or wait for the decision.',
        'Ya hay un cambio de plan pendiente: cancélalo primero o espera a que se decida.',
      ),
      suggestions: [
        ask(lang, 'request_status'),
        {
          title: tr(lang, 'Cancel the pending change', 'Cancelar el cambio pendiente'),
          value: { action: 'request.cancel', requestId: pendingId },
        },
      ],
    };
  }
  return {
    text:
      draft.kind === 'buy_credits'
        ? tr(
            lang,
            `I couldn't send that request: I can request a pack from the list, or between 1 and ${c.f.n(MAX_PURCHASE)} whole credits. Nothing was sent.`,
            `No he podido enviar esa solicitud: puedo solicitar un pack de la lista, o entre 1 y ${c.f.n(MAX_PURCHASE)} créditos enteros. No se ha enviado nada.`,
          )
        : tr(
            lang,
            "I couldn't send that request: that plan isn't one I can request for your account. Nothing was sent.",
            'No he podido enviar esa solicitud: ese plan no es uno que pueda solicitar para tu cuenta. No se ha enviado nada.',
          ),
    suggestions: [draft.kind === 'buy_credits' ? buyButton(lang) : changePlanButton(lang), ask(lang, 'request_status')],
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

/** A cancellation the bot has asked the customer to confirm (remembered for a typed "yes"). */
export interface CancelAsk {
  reply: Reply;
  pending: { requestId: string; reference: string } | null;
}

/** Request references and ids a customer may type: R-1A2B3C, a request's UUID, or an id-like token after "request". */
const TYPED_ID =
  /\b(R-?[0-9A-F]{6})\b|\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b|(?:request|solicitud|petici[oó]n|id|n[uú]mero|#)\s*[:#]?\s*([A-Za-z0-9][\w-]*\d[\w-]*)/i;

/** The request id or reference a typed message names, if any. */
export function typedRequestId(text: string): string | undefined {
  const m = TYPED_ID.exec(text);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

const sameRequest = (r: RequestSummary, typed: string) =>
  r.id === typed.toLowerCase() || r.reference === typed.toUpperCase().replace(/^R-?/, 'R-');

function whatOf(c: AnswerCtx, r: RequestSummary): string {
  const { f, lang } = c;
  return r.kind === 'buy_credits'
    ? `${f.credits(r.credits)} (${f.money(r.price.amount, r.price.currency)})`
    : tr(lang, `change to ${escapeMd(r.targetPlanName)}`, `cambio a ${escapeMd(r.targetPlanName)}`);
}

const pickButtons = (c: AnswerCtx, pending: RequestSummary[]): Suggestion[] =>
  pending.map((r) => ({
    title: `${r.reference} · ${r.kind === 'buy_credits' ? c.f.credits(r.credits) : (r.targetPlanName ?? '')}`,
    value: { action: 'request.cancel', requestId: r.id },
  }));

/**
 * A request to cancel ("cancel my request", a Cancel button): nothing is cancelled yet. With one request in
 * question the bot names it and asks to confirm; with several it asks which; an id or reference that is not one
 * of the customer's pending requests gets a clear answer.
 */
export async function askCancel(c: AnswerCtx, want: { requestId?: string; typed?: string } = {}): Promise<CancelAsk> {
  const { lang } = c;
  const mine = await c.deps.requests.list(c.who.accountId);
  const pending = mine.filter((r) => r.status === 'pending');
  let target: RequestSummary | undefined;
  if (want.requestId !== undefined || want.typed !== undefined) {
    target =
      want.requestId !== undefined
        ? mine.find((r) => r.id === want.requestId)
        : mine.find((r) => sameRequest(r, want.typed!));
    if (!target) {
      const named = want.typed ? ` ${escapeMd(want.typed)}` : '';
      return {
        reply: {
          text: [
            tr(
              lang,
              `I can't find request${named} among your requests, so I haven't cancelled anything.`,
              `No encuentro la solicitud${named} entre las tuyas, así que no he cancelado nada.`,
            ),
            pending.length
              ? tr(lang, 'Your pending requests are below.', 'Abajo tienes tus solicitudes pendientes.')
              : tr(lang, 'You have no pending requests.', 'No tienes solicitudes pendientes.'),
          ].join(' '),
          suggestions: pending.length ? pickButtons(c, pending) : [ask(lang, 'request_status')],
        },
        pending: null,
      };
    }
    if (target.status !== 'pending') return { reply: alreadyDecided(c, target), pending: null };
  } else {
    if (pending.length === 0) {
      return {
        reply: {
          text: tr(lang, 'You have no pending requests to cancel.', 'No tienes solicitudes pendientes que cancelar.'),
          suggestions: [ask(lang, 'request_status')],
        },
        pending: null,
      };
    }
    if (pending.length > 1) {
      return {
        reply: {
          text: [
            tr(lang, 'Which one should I cancel?', '¿Cuál cancelo?'),
            ...pending.map((r) => `- **${r.reference}** · ${whatOf(c, r)}`),
          ].join('\n'),
          suggestions: pickButtons(c, pending),
        },
        pending: null,
      };
    }
    target = pending[0]!;
  }
  return {
    reply: {
      text: tr(
        lang,
        `Cancel request **${target.reference}** (${whatOf(c, target)}, sent on ${c.f.date(target.createdAt)})? Your account manager won't be asked to decide it any more.`,
        `¿Cancelo la solicitud **${target.reference}** (${whatOf(c, target)}, enviada el ${c.f.date(target.createdAt)})? Tu gestor de cuenta ya no tendrá que decidirla.`,
      ),
      suggestions: [
        {
          title: tr(lang, `Yes, cancel ${target.reference}`, `Sí, cancelar ${target.reference}`),
          value: { action: 'request.cancel.confirm', requestId: target.id },
        },
        {
          title: tr(lang, 'No, keep it', 'No, mantenerla'),
          value: { action: 'request.cancel.keep', requestId: target.id },
        },
      ],
    },
    pending: { requestId: target.id, reference: target.reference },
  };
}

function alreadyDecided(c: AnswerCtx, r: RequestSummary): Reply {
  const { lang } = c;
  const text =
    r.status === 'approved'
      ? tr(
          lang,
          `**${r.reference}** was already approved, so it can no longer be cancelled.`,
          `**${r.reference}** ya estaba aprobada, así que ya no se puede cancelar.`,
        )
      : r.status === 'rejected'
        ? tr(
            lang,
            `**${r.reference}** was already rejected; nothing will change.`,
            `**${r.reference}** ya estaba rechazada; no cambiará nada.`,
          )
        : tr(lang, `**${r.reference}** was already cancelled.`, `**${r.reference}** ya estaba cancelada.`);
  return { text, suggestions: [ask(lang, 'request_status')] };
}

/** The customer said no: the request stays as it is. */
export async function keepRequest(c: AnswerCtx, requestId?: string): Promise<Reply> {
  const r = requestId ? (await c.deps.requests.list(c.who.accountId)).find((x) => x.id === requestId) : undefined;
  return {
    text: r
      ? tr(
          c.lang,
          `OK, I haven't cancelled anything: **${r.reference}** stays with your account manager.`,
          `De acuerdo, no he cancelado nada: **${r.reference}** sigue con tu gestor de cuenta.`,
        )
      : tr(c.lang, "OK, I haven't cancelled anything.", 'De acuerdo, no he cancelado nada.'),
    suggestions: [ask(c.lang, 'request_status')],
  };
}

/** Cancels the request the customer confirmed (the request service checks it is theirs and still pending). */
export async function cancelRequest(c: AnswerCtx, id: string): Promise<Reply> {
  const { lang } = c;
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
