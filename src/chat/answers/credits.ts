/** Answers about the balance, the plan, prices, renewal, rollover and the forecast: exact figures, two languages. */
import { bold, escapeMd, md } from '../markdown.ts';
import type { Reply } from '../types.ts';
import { type AnswerCtx, ask, buyButton, changePlanButton, tr } from './context.ts';

export async function balance(c: AnswerCtx): Promise<Reply> {
  const s = await c.state();
  const { f, lang } = c;
  const k = s.credits;
  const detail: string[] = [];
  const left = (kind: string) => s.grants.filter((g) => g.kind === kind).reduce((a, g) => a + g.remaining, 0);
  detail.push(
    tr(
      lang,
      `${f.n(left('plan'))} from your ${escapeMd(s.plan.name)} plan`,
      `${f.n(left('plan'))} de tu plan ${escapeMd(s.plan.name)}`,
    ),
  );
  if (k.accumulated > 0) detail.push(tr(lang, `${f.n(k.accumulated)} accumulated`, `${f.n(k.accumulated)} acumulados`));
  if (left('addon') > 0)
    detail.push(tr(lang, `${f.n(left('addon'))} from add-ons`, `${f.n(left('addon'))} de compras adicionales`));
  if (left('adjustment') > 0)
    detail.push(tr(lang, `${f.n(left('adjustment'))} from adjustments`, `${f.n(left('adjustment'))} de ajustes`));
  const breakdown = detail.length > 1 ? `: ${f.list(detail)}` : '';
  const parts = [
    tr(
      lang,
      `You have **${f.credits(k.balance)}** available right now${breakdown}.`,
      `Tienes **${f.credits(k.balance)}** disponibles ahora mismo${breakdown}.`,
    ),
  ];
  parts.push(
    tr(
      lang,
      `You've used ${f.n(k.usedThisPeriod)} this period; your plan tops up with ${f.n(k.plan)} on ${f.date(s.nextTopUpAt)} (${f.relative(s.nextTopUpAt, c.now)}).`,
      `Este periodo llevas ${f.n(k.usedThisPeriod)} usados; tu plan se recarga con ${f.n(k.plan)} el ${f.date(s.nextTopUpAt)} (${f.relative(s.nextTopUpAt, c.now)}).`,
    ),
  );
  if (k.overage > 0) {
    parts.push(
      tr(
        lang,
        `⚠️ ${f.n(k.overage)} credits were used beyond your balance this period (overage).`,
        `⚠️ Este periodo se han usado ${f.n(k.overage)} créditos por encima de tu saldo (exceso).`,
      ),
    );
  }
  const amount = c.nlu.slots.amount;
  if (amount !== undefined && amount > 0) {
    parts.push(
      amount <= k.balance
        ? tr(
            lang,
            `For ${f.n(amount)} actions at one credit each that's enough, with ${f.n(k.balance - amount)} to spare (enrichments and AI variables can cost more than one credit each).`,
            `Para ${f.n(amount)} acciones a un crédito cada una te llega, y te sobrarían ${f.n(k.balance - amount)} (los enriquecimientos y las variables de IA pueden costar más de un crédito).`,
          )
        : tr(
            lang,
            `That is not enough for ${f.n(amount)} credits: you would be ${f.n(amount - k.balance)} short.`,
            `No es suficiente para ${f.n(amount)} créditos: te faltarían ${f.n(amount - k.balance)}.`,
          ),
    );
  }
  return {
    text: parts.join(' '),
    suggestions: [ask(lang, 'usage_by_type'), ask(lang, 'forecast_runout'), buyButton(lang)],
  };
}

export async function planDetails(c: AnswerCtx): Promise<Reply> {
  const s = await c.state();
  const { f, lang } = c;
  const p = s.plan;
  return {
    text: md(
      tr(lang, `You're on the ${bold(p.name)} plan:`, `Tienes el plan ${bold(p.name)}:`),
      [
        tr(lang, `${f.credits(p.monthlyCredits)} every month`, `${f.credits(p.monthlyCredits)} cada mes`),
        tr(
          lang,
          `${f.n(p.identities)} identities, each with up to ${f.n(p.conversationsPerIdentity)} conversations a month`,
          `${f.n(p.identities)} identidades, cada una con hasta ${f.n(p.conversationsPerIdentity)} conversaciones al mes`,
        ),
        tr(
          lang,
          `${f.money(p.price.amount, p.price.currency)} per month`,
          `${f.money(p.price.amount, p.price.currency)} al mes`,
        ),
      ],
      tr(
        lang,
        `Credits are shared by the whole account (${f.n(c.account.userCount)} users can use them); identities are the sending accounts (LinkedIn or email) that start conversations. Users are not billed separately; the plan sets the number of identities.`,
        `Los créditos se comparten en toda la cuenta (${f.n(c.account.userCount)} usuarios pueden usarlos); las identidades son las cuentas de envío (LinkedIn o email) que inician conversaciones. Los usuarios no se facturan aparte; el plan fija el número de identidades.`,
      ),
      s.scheduledPlan &&
        tr(
          lang,
          `From ${f.date(s.scheduledPlan.effectiveFrom)} you'll be on ${bold(s.scheduledPlan.name)} (${f.credits(s.scheduledPlan.monthlyCredits)} a month).`,
          `Desde el ${f.date(s.scheduledPlan.effectiveFrom)} tendrás el plan ${bold(s.scheduledPlan.name)} (${f.credits(s.scheduledPlan.monthlyCredits)} al mes).`,
        ),
    ),
    suggestions: [ask(lang, 'balance'), changePlanButton(lang), ask(lang, 'conversations_limit')],
  };
}

export async function price(c: AnswerCtx): Promise<Reply> {
  const s = await c.state();
  const { f, lang } = c;
  const p = s.plan;
  const packs = await c.deps.catalog.packs();
  // "how much is the 5k pack": that pack first.
  const named = c.nlu.slots.amount !== undefined ? packs.find((pk) => pk.credits === c.nlu.slots.amount) : undefined;
  const perThousand = p.monthlyCredits > 0 ? Math.ceil((1_000 * p.price.amount) / p.monthlyCredits) : 0;
  if (named) {
    const others = packs.filter((pk) => pk.id !== named.id);
    return {
      text: md(
        tr(
          lang,
          `The ${f.credits(named.credits)} pack costs **${f.money(named.price.amount, named.price.currency)}**, valid until the next top-up.`,
          `El pack de ${f.credits(named.credits)} cuesta **${f.money(named.price.amount, named.price.currency)}**, válido hasta la próxima recarga.`,
        ),
        others.length > 0 &&
          tr(
            lang,
            `Other packs: ${f.list(others.map((pk) => `${f.n(pk.credits)} for ${f.money(pk.price.amount, pk.price.currency)}`))}.`,
            `Otros packs: ${f.list(others.map((pk) => `${f.n(pk.credits)} por ${f.money(pk.price.amount, pk.price.currency)}`))}.`,
          ),
      ),
      suggestions: [buyButton(lang), ask(lang, 'balance')],
    };
  }
  return {
    text: md(
      tr(
        lang,
        `Your ${escapeMd(p.name)} plan costs **${f.money(p.price.amount, p.price.currency)} per month** for ${f.credits(p.monthlyCredits)}.`,
        `Tu plan ${escapeMd(p.name)} cuesta **${f.money(p.price.amount, p.price.currency)} al mes** por ${f.credits(p.monthlyCredits)}.`,
      ),
      packs.length > 0 && tr(lang, 'Extra credits come in packs:', 'Los créditos extra se venden en packs:'),
      packs.map((pk) => `${f.credits(pk.credits)}: ${f.money(pk.price.amount, pk.price.currency)}`),
      packs.length === 0 &&
        p.monthlyCredits > 0 &&
        tr(
          lang,
          `Extra credits cost the same as in your plan: ${f.money(perThousand, p.price.currency)} per 1,000 credits (any whole amount).`,
          `Los créditos extra cuestan lo mismo que en tu plan: ${f.money(perThousand, p.price.currency)} por cada 1.000 créditos (cualquier cantidad entera).`,
        ),
      tr(
        lang,
        'Extra credits are valid until the next top-up.',
        'Los créditos extra son válidos hasta la próxima recarga.',
      ),
    ),
    suggestions: [buyButton(lang), changePlanButton(lang), ask(lang, 'plan_details')],
  };
}

export async function renewalDate(c: AnswerCtx): Promise<Reply> {
  const s = await c.state();
  const { f, lang } = c;
  return {
    text: [
      tr(
        lang,
        `Your credits renew on **${f.dateTime(s.nextTopUpAt)}** (${f.relative(s.nextTopUpAt, c.now)}), when your plan tops up with ${f.credits(s.credits.plan)}.`,
        `Tus créditos se renuevan el **${f.dateTime(s.nextTopUpAt)}** (${f.relative(s.nextTopUpAt, c.now)}), cuando tu plan se recarga con ${f.credits(s.credits.plan)}.`,
      ),
      tr(
        lang,
        "Top-ups follow the calendar of your account, not the date you signed up or changed plan: changing plan doesn't move this date.",
        'Las recargas siguen el calendario de tu cuenta, no la fecha de alta ni la del cambio de plan: cambiar de plan no mueve esta fecha.',
      ),
    ].join(' '),
    suggestions: [ask(lang, 'balance'), ask(lang, 'rollover_policy'), ask(lang, 'forecast_runout')],
  };
}

export async function rolloverPolicy(c: AnswerCtx): Promise<Reply> {
  const s = await c.state();
  const { f, lang } = c;
  const end = new Date(s.nextTopUpAt).getTime();
  const expiring = s.grants.filter((g) => new Date(g.expiresAt).getTime() <= end).reduce((a, g) => a + g.remaining, 0);
  const staying = s.credits.balance - expiring;
  const lines = [
    tr(
      lang,
      `Credits renew at every top-up, and unused credits are **not carried over** as a rule: at the top-up on ${f.date(s.nextTopUpAt)} the ${f.n(expiring)} credits left of this period will expire. Extra credits you buy also last until the next top-up.`,
      `Los créditos se renuevan en cada recarga y, por norma, los que no se usan **no se acumulan**: en la recarga del ${f.date(s.nextTopUpAt)} caducarán los ${f.n(expiring)} créditos que queden de este periodo. Los créditos extra que compres también duran hasta la próxima recarga.`,
    ),
    tr(
      lang,
      'Your account manager can make an exception and carry credits over; carried-over credits show as "accumulated".',
      'Tu gestor de cuenta puede hacer una excepción y traspasar créditos; los créditos traspasados aparecen como "acumulados".',
    ),
  ];
  if (s.credits.accumulated > 0) {
    lines.push(
      tr(
        lang,
        `Right now you have ${f.n(s.credits.accumulated)} accumulated credits from such a carry-over.`,
        `Ahora mismo tienes ${f.n(s.credits.accumulated)} créditos acumulados de un traspaso así.`,
      ),
    );
  }
  if (staying > 0) {
    lines.push(
      tr(
        lang,
        `${f.n(staying)} of your credits stay valid after this top-up.`,
        `${f.n(staying)} de tus créditos siguen siendo válidos después de esta recarga.`,
      ),
    );
  }
  return {
    text: lines.join(' '),
    suggestions: [ask(lang, 'talk_to_human'), ask(lang, 'forecast_runout'), ask(lang, 'balance')],
  };
}

export async function forecastRunout(c: AnswerCtx): Promise<Reply> {
  const fc = await c.forecast();
  const { f, lang } = c;
  if (fc.burnRatePerDay <= 0) {
    return {
      text: tr(
        lang,
        `You haven't used any credits in the last ${fc.windowDays} days, so at this pace your ${f.n(fc.balance)} credits will last until the top-up on ${f.date(fc.nextTopUpAt)}.`,
        `No has usado créditos en los últimos ${fc.windowDays} días, así que a este ritmo tus ${f.n(fc.balance)} créditos te durarán hasta la recarga del ${f.date(fc.nextTopUpAt)}.`,
      ),
      suggestions: [ask(lang, 'balance'), ask(lang, 'usage_by_period')],
    };
  }
  const rate = f.n(Math.round(fc.burnRatePerDay));
  const head = tr(
    lang,
    `Over the last ${fc.windowDays} days you used ${f.n(fc.usedInWindow)} credits, about **${rate} a day**.`,
    `En los últimos ${fc.windowDays} días has usado ${f.n(fc.usedInWindow)} créditos, unos **${rate} al día**.`,
  );
  const body = fc.runsOutBeforeTopUp
    ? tr(
        lang,
        `At that pace your ${f.n(fc.balance)} credits run out around **${f.date(fc.runsOutAt!)}**, before the top-up on ${f.date(fc.nextTopUpAt)}: you'd need about ${f.n(fc.shortfall)} more credits to get there.`,
        `A ese ritmo tus ${f.n(fc.balance)} créditos se acabarán hacia el **${f.date(fc.runsOutAt!)}**, antes de la recarga del ${f.date(fc.nextTopUpAt)}: necesitarías unos ${f.n(fc.shortfall)} créditos más para llegar.`,
      )
    : tr(
        lang,
        `At that pace your ${f.n(fc.balance)} credits will last until the top-up on **${f.date(fc.nextTopUpAt)}**: you'll need about ${f.n(fc.neededUntilTopUp)} until then.`,
        `A ese ritmo tus ${f.n(fc.balance)} créditos te llegan hasta la recarga del **${f.date(fc.nextTopUpAt)}**: necesitarás unos ${f.n(fc.neededUntilTopUp)} hasta entonces.`,
      );
  const amount = c.nlu.slots.amount;
  const extra =
    amount !== undefined && amount > 0 && amount !== fc.balance
      ? ' ' +
        tr(
          lang,
          `(You mentioned ${f.n(amount)}; your actual balance is ${f.n(fc.balance)}.)`,
          `(Mencionas ${f.n(amount)}; tu saldo real es ${f.n(fc.balance)}.)`,
        )
      : '';
  return {
    text: `${head} ${body}${extra}`,
    suggestions: fc.runsOutBeforeTopUp
      ? [buyButton(lang), changePlanButton(lang), ask(lang, 'usage_by_type')]
      : [ask(lang, 'usage_by_type'), ask(lang, 'usage_by_user'), buyButton(lang)],
  };
}
