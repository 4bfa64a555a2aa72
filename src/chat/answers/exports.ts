/** "Export my usage": short-lived signed links to the CSV of the account's usage (by day, user and type). */
import type { ExportGroup } from '../../credits/usage-export.ts';
import { md } from '../markdown.ts';
import type { Reply } from '../types.ts';
import { type AnswerCtx, ask, tr } from './context.ts';
import type { Span } from './figures.ts';

const LABELS: Record<ExportGroup, [string, string]> = {
  day: ['by day', 'por día'],
  user: ['by user', 'por usuario'],
  type: ['by type', 'por tipo'],
  identity: ['conversations by identity', 'conversaciones por identidad'],
  campaign: ['conversations by campaign', 'conversaciones por campaña'],
};

/** The asked grouping first, then the others customers use most. */
export function exportAnswer(c: AnswerCtx, span: Span, first: ExportGroup = 'day'): Reply {
  const { f, lang } = c;
  const order: ExportGroup[] = [first, ...(['day', 'user', 'type'] as const).filter((g) => g !== first)];
  const links = order.map((by) => {
    const { url, expiresAt } = c.deps.exports.link(c.who.accountId, { from: span.from, to: span.to, by });
    // Chat clients open absolute links only: a relative one (no PUBLIC_URL) takes the page's origin.
    const href = url.startsWith('/') && c.linkBase ? `${c.linkBase}${url}` : url;
    const [en, es] = LABELS[by];
    return { text: `[${tr(lang, `CSV ${en}`, `CSV ${es}`)}](${href})`, expiresAt };
  });
  const minutes = Math.max(1, Math.round((links[0]!.expiresAt.getTime() - c.now.getTime()) / 60_000));
  const last = new Date(Math.min(span.to.getTime() - 1, c.now.getTime()));
  // "this period (since 1 December)" already says when; other labels get their dates.
  const when = span.label.includes('(')
    ? span.label
    : tr(
        lang,
        `${span.label} (${f.date(span.from)} to ${f.date(last)})`,
        `${span.label} (del ${f.date(span.from)} al ${f.date(last)})`,
      );
  return {
    text: md(
      tr(lang, `Here is your usage ${when} as CSV:`, `Aquí tienes tu consumo ${when} en CSV:`),
      links.map((l) => l.text),
      tr(
        lang,
        `The links work for ${minutes} minutes and only for your account; the files have a header row and open in any spreadsheet.`,
        `Los enlaces funcionan durante ${minutes} minutos y solo para tu cuenta; los archivos llevan cabecera y se abren con cualquier hoja de cálculo.`,
      ),
    ),
    suggestions: [ask(lang, 'usage_by_period'), ask(lang, 'usage_by_type')],
  };
}
