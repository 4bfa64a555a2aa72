/**
 * Presentation of figures in a reader's language, with that locale's number and date formats (14.931 in
 * Spanish, 14,931 in English) and the account's time zone: one place for the customer's chat, Slack, the
 * console and the View Usage page's server side. Credits and money are integers; money is shown from minor
 * units. Depends on nothing but Intl.
 */

export type Lang = 'en' | 'es';

export const toLang = (locale: string | null | undefined): Lang | undefined => {
  const l = (locale ?? '').slice(0, 2).toLowerCase();
  return l === 'es' ? 'es' : l === 'en' ? 'en' : undefined;
};

const intlLocale: Record<Lang, string> = { en: 'en-GB', es: 'es-ES' };

/** Labels of the platform's usage types (`company_scraping`, ...). */
const typeLabels: Record<Lang, Record<string, string>> = {
  en: {
    company_scraping: 'company scraping',
    contact_scraping: 'contact scraping',
    enrichment: 'enrichment',
    ai_variable: 'AI variables',
    workflow: 'workflows',
  },
  es: {
    company_scraping: 'scraping de empresas',
    contact_scraping: 'scraping de contactos',
    enrichment: 'enriquecimiento',
    ai_variable: 'variables de IA',
    workflow: 'workflows',
  },
};

const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(loc: string, currency: string, minDigits: number, maxDigits: number): Intl.NumberFormat {
  const key = `${loc}|${currency}|${minDigits}|${maxDigits}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(loc, {
      style: 'currency',
      currency,
      useGrouping: 'always',
      minimumFractionDigits: minDigits,
      maximumFractionDigits: maxDigits,
    } as Intl.NumberFormatOptions);
    moneyFormats.set(key, f);
  }
  return f;
}

const digitsByCurrency = new Map<string, number>();
/** Minor-unit digits of a currency (EUR 2, JPY 0). */
export function currencyDigits(currency: string): number {
  let d = digitsByCurrency.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, d);
  }
  return d;
}

export interface Formatter {
  lang: Lang;
  timeZone: string;
  /** 14,931 / 14.931 (always grouped, as the platform page shows 4.931) */
  n(value: number): string;
  credits(value: number): string;
  money(amountMinor: number, currency: string): string;
  /** 1 December 2026 / 1 de diciembre de 2026 */
  date(d: Date | string): string;
  /** Tue 1 Dec / mar 1 dic */
  shortDate(d: Date | string): string;
  /** 1 December 2026, 00:00 (CET) */
  dateTime(d: Date | string): string;
  /** the month of an instant in the time zone: December / diciembre; short: Dec / dic; withYear: December 2026 */
  month(d: Date | string, opts?: { short?: boolean; withYear?: boolean }): string;
  /** in 1 day / en 1 día; today; tomorrow */
  relative(d: Date | string, now: Date): string;
  /** 20 % (whole percents unless `maxFractionDigits` allows more: 12.5 %) */
  percent(ratio: number, maxFractionDigits?: number): string;
  typeLabel(t: string): string;
  /** joins a list: a, b and c / a, b y c */
  list(items: string[]): string;
  /** YYYY-MM-DD of an instant in the time zone */
  dayKey(d: Date): string;
}

const formatters = new Map<string, Formatter>();

/** Intl formatters are expensive to build: one per language and time zone, kept for the process. */
export function formatter(lang: Lang, timeZone: string): Formatter {
  const key = `${lang}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    if (formatters.size > 1_000) formatters.clear();
    f = buildFormatter(lang, timeZone);
    formatters.set(key, f);
  }
  return f;
}

function buildFormatter(lang: Lang, timeZone: string): Formatter {
  const loc = intlLocale[lang];
  const num = new Intl.NumberFormat(loc, {
    useGrouping: 'always',
    maximumFractionDigits: 0,
  } as Intl.NumberFormatOptions);
  const date = new Intl.DateTimeFormat(loc, { timeZone, day: 'numeric', month: 'long', year: 'numeric' });
  const shortDate = new Intl.DateTimeFormat(loc, { timeZone, weekday: 'short', day: 'numeric', month: 'short' });
  const dateTime = new Intl.DateTimeFormat(loc, {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const monthLong = new Intl.DateTimeFormat(loc, { timeZone, month: 'long' });
  const monthShort = new Intl.DateTimeFormat(loc, { timeZone, month: 'short' });
  const monthYear = new Intl.DateTimeFormat(loc, { timeZone, month: 'long', year: 'numeric' });
  const rel = new Intl.RelativeTimeFormat(loc, { numeric: 'auto' });
  const pct = new Intl.NumberFormat(loc, { style: 'percent', maximumFractionDigits: 0 });
  const listFmt = new Intl.ListFormat(loc, { style: 'long', type: 'conjunction' });
  const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const asDate = (d: Date | string) => (typeof d === 'string' ? new Date(d) : d);
  return {
    lang,
    timeZone,
    n: (v) => num.format(v),
    credits: (v) =>
      `${num.format(v)} ${lang === 'es' ? (v === 1 ? 'crédito' : 'créditos') : v === 1 ? 'credit' : 'credits'}`,
    money: (amountMinor, currency) => {
      const digits = currencyDigits(currency);
      const value = amountMinor / 10 ** digits;
      return moneyFormat(loc, currency, Number.isInteger(value) ? 0 : digits, digits).format(value);
    },
    date: (d) => date.format(asDate(d)),
    shortDate: (d) => shortDate.format(asDate(d)),
    dateTime: (d) => dateTime.format(asDate(d)),
    month: (d, opts) => (opts?.withYear ? monthYear : opts?.short ? monthShort : monthLong).format(asDate(d)),
    relative: (d, now) => {
      // Calendar days between the two local dates, so "tomorrow" means the next local day.
      const a = Date.parse(dayKey.format(now));
      const b = Date.parse(dayKey.format(asDate(d)));
      return rel.format(Math.round((b - a) / 86_400_000), 'day');
    },
    percent: (r, digits = 0) =>
      digits === 0
        ? pct.format(r)
        : new Intl.NumberFormat(loc, { style: 'percent', maximumFractionDigits: digits }).format(r),
    typeLabel: (t) => typeLabels[lang][t] ?? t,
    list: (items) => listFmt.format(items),
    dayKey: (d) => dayKey.format(d),
  };
}
