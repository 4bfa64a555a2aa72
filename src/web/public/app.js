// View Usage demo page: the platform's credits page with the official Bot Framework Web Chat embedded.
// Plain browser ES module, no build step. Globals from the vendor bundles: Chart (chart.umd.js, loaded by
// index.html) and WebChat (webchat.js, loaded on demand). Copy is English, like the platform; numbers, money
// and dates follow the ACCOUNT's locale and time zone.

const API = '/demo/api';
const DIRECT_LINE_DOMAIN = `${location.origin}/v3/directline`;
const WEBCHAT_SRC = '/vendor/webchat.js';
const UI_LANG = 'en';
// The visitor's language (their browser), for the chat: the bot greets in it and follows them if they switch.
const VISITOR_LOCALE = (() => {
  try {
    return Intl.getCanonicalLocales(navigator.language || 'en')[0] ?? 'en';
  } catch {
    return 'en';
  }
})();
const ACCENT = '#2f54eb';
const FONT =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif';
const CONNECT_TIMEOUT_MS = 20000;
const WARN_AT = 0.8;

const TYPES = [
  { key: 'contact_scraping', label: 'Contact scraping', color: '#2f54eb' },
  { key: 'company_scraping', label: 'Company scraping', color: '#1c2d74' },
  { key: 'enrichment', label: 'Enrichment', color: '#7d9af5' },
  { key: 'ai_variable', label: 'AI variables', color: '#14a38b' },
  { key: 'workflow', label: 'Workflows', color: '#9aa4b5' },
];
const TYPE_BY_KEY = new Map(TYPES.map((t) => [t.key, t]));

const RANGES = {
  period: 'This period',
  '30d': 'Last 30 days',
  '3m': 'Last 3 months',
};

const state = {
  session: null,
  sessionPromise: null,
  credit: null,
  fmt: null,
  tz: 'UTC',
  locale: 'en',
  range: 'period',
  userFilter: '',
  typeFilter: '',
  identityFilter: '',
  campaignFilter: '',
  users: new Map(),
  breakdownCache: new Map(),
  charts: { usage: null, conversations: null },
  usageSeq: 0,
  convSeq: 0,
};

const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

// ---------------------------------------------------------------- DOM helpers

const $ = (selector, root = document) => root.querySelector(selector);

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k.startsWith('--')) el.style.setProperty(k, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function icon(id) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
  use.setAttribute('href', `#${id}`);
  svg.append(use);
  return svg;
}

function setText(selector, text) {
  const el = typeof selector === 'string' ? $(selector) : selector;
  if (el) el.textContent = text;
  return el;
}

function skeletonRows(n) {
  return Array.from({ length: n }, () => h('span', { class: 'skeleton skeleton--row', 'aria-hidden': 'true' }));
}

function showError(container, message, onRetry) {
  container.hidden = false;
  container.setAttribute('role', 'alert');
  container.replaceChildren(
    icon('i-alert'),
    h('span', {}, message),
    onRetry
      ? h('button', { type: 'button', class: 'btn btn--secondary btn--small', onclick: onRetry }, 'Try again')
      : null,
  );
}

function hideError(container) {
  container.hidden = true;
  container.replaceChildren();
}

let toastTimer;
function toast(message) {
  const el = $('#toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.hidden = true;
  }, 3200);
}

function initials(name) {
  const parts = String(name ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (!parts.length) return '?';
  const letters = parts.length === 1 ? parts[0].slice(0, 2) : parts[0][0] + parts[parts.length - 1][0];
  return letters.toLocaleUpperCase();
}

const capitalize = (s) => (s ? s[0].toLocaleUpperCase(UI_LANG) + s.slice(1) : s);

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, { method = 'GET', params } = {}) {
  const url = new URL(API + path, location.origin);
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (!res.ok) throw new ApiError(res.status, `${method} ${url.pathname} answered ${res.status}`);
  return res.json();
}

// ---------------------------------------------------------------- time zones & formatting

function safeLocale(locale) {
  try {
    return Intl.getCanonicalLocales(locale || 'en')[0] ?? 'en';
  } catch {
    return 'en';
  }
}

function safeTimeZone(tz) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz || 'UTC' });
    return tz || 'UTC';
  } catch {
    return 'UTC';
  }
}

const partsFormatters = new Map();
function zonedParts(ms, tz) {
  let f = partsFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(tz, f);
  }
  const o = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') o[p.type] = Number(p.value);
  return o;
}

const pad = (n) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of an instant in the account's time zone (the API's day keys). */
function dayKey(ms, tz = state.tz) {
  const p = zonedParts(ms, tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

function parseKey(key) {
  const [y, m, d] = key.split('-').map(Number);
  return { y, m, d };
}

/** Calendar arithmetic on day keys (no time zone involved). */
function addDays(key, n) {
  const { y, m, d } = parseKey(key);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

function addMonths(key, n) {
  const { y, m, d } = parseKey(key);
  const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  const t = new Date(Date.UTC(y, m - 1 + n, Math.min(d, last)));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

function tzOffset(ms, tz) {
  const p = zonedParts(ms, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (ms % 1000));
}

/** The instant of 00:00 of a day key in the account's time zone. */
function zonedMidnight(key, tz = state.tz) {
  const { y, m, d } = parseKey(key);
  const guess = Date.UTC(y, m - 1, d);
  const o1 = tzOffset(guess, tz);
  const t = guess - o1;
  const o2 = tzOffset(t, tz);
  return o2 === o1 ? t : guess - o2;
}

function daysBetween(fromKey, toKey) {
  const a = parseKey(fromKey);
  const b = parseKey(toKey);
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86400000);
}

function dayKeys(fromKey, lastKey) {
  const out = [];
  for (let k = fromKey; k <= lastKey && out.length < 400; k = addDays(k, 1)) out.push(k);
  return out;
}

function makeFormat(locale, timeZone) {
  const num = (opts) => new Intl.NumberFormat(locale, opts);
  // useGrouping 'always': Spanish does not group 4-digit numbers by default (4931), the platform shows 4.931.
  const int = num({ maximumFractionDigits: 0, useGrouping: 'always' });
  const pct = num({ style: 'percent', maximumFractionDigits: 0 });
  const compact = num({ notation: 'compact', maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone });
  const dayMonth = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone });
  const dateTime = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  });
  // day keys are calendar dates: format them at noon UTC in UTC so nothing shifts
  const keyShort = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const keyLong = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const keyDate = (key) => {
    const { y, m, d } = parseKey(key);
    return Date.UTC(y, m - 1, d, 12);
  };
  const rel = new Intl.RelativeTimeFormat(UI_LANG, { numeric: 'always' });
  const moneyFormats = new Map();
  return {
    int: (n) => int.format(Math.round(Number(n) || 0)),
    pct: (x) => pct.format(Number.isFinite(x) ? x : 0),
    compact: (n) => compact.format(Number(n) || 0),
    money({ amount, currency }) {
      const cur = currency || 'EUR';
      let f = moneyFormats.get(cur);
      if (!f) {
        const digits = num({ style: 'currency', currency: cur }).resolvedOptions().maximumFractionDigits ?? 2;
        f = { digits, whole: null, exact: null };
        f.whole = num({ style: 'currency', currency: cur, maximumFractionDigits: 0, useGrouping: 'always' });
        f.exact = num({
          style: 'currency',
          currency: cur,
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
          useGrouping: 'always',
        });
        moneyFormats.set(cur, f);
      }
      const value = (Number(amount) || 0) / 10 ** f.digits;
      return (Number.isInteger(value) ? f.whole : f.exact).format(value);
    },
    date: (iso) => date.format(new Date(iso)),
    dayMonth: (iso) => dayMonth.format(new Date(iso)),
    dateTime: (iso) => dateTime.format(new Date(iso)),
    keyShort: (key) => keyShort.format(keyDate(key)),
    keyLong: (key) => keyLong.format(keyDate(key)),
    relative(iso) {
      const target = Date.parse(iso);
      const now = Date.now();
      const days = daysBetween(dayKey(now, timeZone), dayKey(target, timeZone));
      if (days >= 1 || days <= -1) return capitalize(rel.format(days, 'day'));
      const hours = Math.round((target - now) / 3600000);
      if (hours !== 0) return capitalize(rel.format(hours, 'hour'));
      return capitalize(rel.format(Math.round((target - now) / 60000), 'minute'));
    },
    /** 'd mmm – d mmm yyyy' of a [start, end) period */
    period(start, end) {
      const lastDay = Date.parse(end) - 1;
      try {
        return date.formatRange(new Date(start), new Date(lastDay));
      } catch {
        return `${date.format(new Date(start))} – ${date.format(new Date(lastDay))}`;
      }
    },
    keyRange(fromKey, toKey) {
      const a = new Date(keyDate(fromKey));
      const b = new Date(keyDate(toKey));
      const f = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
      try {
        return f.formatRange(a, b);
      } catch {
        return `${f.format(a)} – ${f.format(b)}`;
      }
    },
  };
}

// ---------------------------------------------------------------- session & header

function ensureSession() {
  if (!state.sessionPromise) {
    state.sessionPromise = api('/session').catch((err) => {
      state.sessionPromise = null;
      throw err;
    });
  }
  return state.sessionPromise;
}

function applySession(session) {
  state.session = session;
  state.locale = safeLocale(session.account?.locale);
  state.tz = safeTimeZone(session.account?.timeZone);
  state.fmt = makeFormat(state.locale, state.tz);
  state.users.set(session.user.id, session.user.name);
  setText('#account-name', session.account?.name ?? '');
  setText('#user-name', session.user?.name ?? '');
  setText('#user-avatar', initials(session.user?.name));
  document.title = `View Usage · ${session.account?.name ?? 'Credits'}`;
}

// ---------------------------------------------------------------- plan & credits card

async function loadCredit() {
  const card = $('#plan-card');
  const errorBox = $('#plan-error');
  card.setAttribute('aria-busy', 'true');
  $('#gauge-card').setAttribute('aria-busy', 'true');
  hideError(errorBox);
  try {
    state.credit = await api('/credit-state');
    renderPlan(state.credit);
  } catch {
    showError(errorBox, "We couldn't load your plan and credits right now.", retryCredit);
    for (const id of ['plan-name', 'plan-credits', 'addon-credits', 'balance', 'identities', 'price', 'topup-date']) {
      setText(`#${id}`, '—');
    }
    setText('#gauge-balance', '—');
    setText('#gauge-caption', 'Unavailable');
  } finally {
    card.setAttribute('aria-busy', 'false');
    $('#gauge-card').setAttribute('aria-busy', 'false');
  }
}

async function retryCredit() {
  await loadCredit();
  if (state.credit) {
    loadConversations();
    if (state.range === 'period') loadUsage();
  }
}

function renderPlan(cs) {
  const f = state.fmt;
  const c = cs.credits;
  setText('#plan-name', cs.plan?.name || 'Not available');
  setText('#plan-credits', f.int(c.plan));
  setText('#addon-credits', f.int(c.addOn));
  setText('#balance', f.int(c.balance));
  const acc = $('#accumulated');
  acc.textContent = `+ ${f.int(c.accumulated)} accumulated`;
  acc.classList.toggle('muted', !c.accumulated);
  acc.title = 'Credits carried over from a previous period by your Account Manager';

  // share of this period's credits still available: balance / (balance + consumed from grants)
  const granted = c.balance + Math.max(0, c.usedThisPeriod - c.overage);
  const left = granted > 0 ? c.balance / granted : 0;
  const meter = $('#balance-meter');
  meter.setAttribute('aria-valuenow', String(Math.round(left * 100)));
  meter.setAttribute('aria-valuetext', `${f.pct(left)} of this period's credits left`);
  $('.meter__fill', meter).style.width = `${(left * 100).toFixed(1)}%`;
  setText(
    '#balance-caption',
    c.overage > 0
      ? `${f.int(c.usedThisPeriod)} used this period · ${f.int(c.overage)} over the balance`
      : `${f.pct(left)} left · ${f.int(c.usedThisPeriod)} used this period`,
  );

  setText('#identities', f.int(cs.plan.identities));
  setText('#price', `${f.money(cs.plan.price)} / month`);
  const topup = $('#topup-date');
  topup.textContent = f.relative(cs.nextTopUpAt);
  topup.setAttribute('datetime', cs.nextTopUpAt);
  topup.title = f.dateTime(cs.nextTopUpAt);
  setText('#topup-exact', f.date(cs.nextTopUpAt));

  // gauge: balance against the monthly plan, like the platform's "14,931 / 10k"
  const ring = Math.min(1, c.plan > 0 ? c.balance / c.plan : 0);
  $('#gauge-value').setAttribute('stroke-dasharray', `${(ring * 100).toFixed(2)} 100`);
  setText('#gauge-balance', f.int(c.balance));
  setText('#gauge-plan', `/ ${f.compact(c.plan)}`);
  $('#gauge').classList.toggle('is-ready', ring > 0);
  $('#gauge').setAttribute(
    'aria-label',
    `${f.int(c.balance)} credits available; monthly plan ${f.int(c.plan)} credits`,
  );
  setText('#gauge-caption', `Available · renews ${f.relative(cs.nextTopUpAt).toLocaleLowerCase(UI_LANG)}`);

  // Credits tab
  const item = (label, value, extra) =>
    h('div', { class: 'details__item' }, h('dt', {}, label), h('dd', { class: 'figure' }, value), extra ?? null);
  setText('#credits-period', `· ${f.period(cs.period.start, cs.period.end)}`);
  $('#credits-details').replaceChildren(
    item('Plan credits', f.int(c.plan)),
    item('Add-on credits', f.int(c.addOn)),
    item('Accumulated', f.int(c.accumulated)),
    item('Balance', f.int(c.balance)),
    item('Used this period', f.int(c.usedThisPeriod)),
    item('Overage', f.int(c.overage)),
    item('Period', f.period(cs.period.start, cs.period.end)),
    item('Next top-up', f.date(cs.nextTopUpAt)),
  );

  // Conversations tab
  const conv = cs.conversations ?? { limitPerIdentity: 0, byIdentity: [] };
  const used = conv.byIdentity.reduce((s, i) => s + i.used, 0);
  const capacity = conv.byIdentity.reduce((s, i) => s + i.limit, 0);
  const near = conv.byIdentity.filter((i) => i.limit > 0 && i.used / i.limit >= WARN_AT && i.used < i.limit).length;
  const full = conv.byIdentity.filter((i) => i.limit > 0 && i.used >= i.limit).length;
  setText('#conv-period', `· ${f.period(cs.period.start, cs.period.end)}`);
  setText('#conv-limit-note', f.int(conv.limitPerIdentity));
  $('#conv-details').replaceChildren(
    item('Limit per identity', f.int(conv.limitPerIdentity)),
    item('Conversations used', `${f.int(used)} / ${f.int(capacity)}`),
    item('Identities near the limit', f.int(near)),
    item('Identities at the limit', f.int(full)),
  );
  setText(
    '#conversations-subtitle',
    `Up to ${f.int(conv.limitPerIdentity)} conversations per identity each period · ${f.period(cs.period.start, cs.period.end)}`,
  );
}

// ---------------------------------------------------------------- tabs

function bindTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const select = (tab, focus) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (focus) tab.focus();
  };
  for (const tab of tabs) {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(tab);
      const next = {
        ArrowRight: tabs[(i + 1) % tabs.length],
        ArrowLeft: tabs[(i - 1 + tabs.length) % tabs.length],
        Home: tabs[0],
        End: tabs[tabs.length - 1],
      }[e.key];
      if (next) {
        e.preventDefault();
        select(next, true);
      }
    });
  }
}

// ---------------------------------------------------------------- ranges

function rangeFor(kind) {
  const now = Date.now();
  const todayKey = dayKey(now);
  const endOfToday = zonedMidnight(addDays(todayKey, 1));
  let from;
  let to;
  if (kind === 'period' && state.credit) {
    from = Date.parse(state.credit.period.start);
    to = Date.parse(state.credit.period.end);
  } else if (kind === 'period') {
    // no credit state: the calendar month
    from = zonedMidnight(`${todayKey.slice(0, 8)}01`);
    to = zonedMidnight(addMonths(`${todayKey.slice(0, 8)}01`, 1));
  } else if (kind === '30d') {
    from = zonedMidnight(addDays(todayKey, -29));
    to = endOfToday;
  } else {
    from = zonedMidnight(addMonths(todayKey, -3));
    to = endOfToday;
  }
  const firstKey = dayKey(from);
  const lastKey = [dayKey(to - 1), todayKey].sort()[0];
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    days: dayKeys(firstKey, lastKey),
  };
}

// ---------------------------------------------------------------- charts

function chartReady() {
  if (!window.Chart) return false;
  if (!chartReady.done) {
    const d = window.Chart.defaults;
    d.font.family = FONT;
    d.font.size = 12;
    d.color = '#5d6679';
    d.borderColor = '#eef0f3';
    chartReady.done = true;
  }
  return true;
}

function ensureCanvas(container, label) {
  let canvas = $('canvas', container);
  if (!canvas) {
    canvas = h('canvas', { role: 'img' });
    container.replaceChildren(canvas);
  }
  canvas.setAttribute('aria-label', label);
  return canvas;
}

function chartUnavailable(container, chartKey) {
  state.charts[chartKey]?.destroy();
  state.charts[chartKey] = null;
  container.replaceChildren(h('div', { class: 'chart__empty' }, 'The chart could not be displayed.'));
}

function emptyChart(container, chartKey, message) {
  state.charts[chartKey]?.destroy();
  state.charts[chartKey] = null;
  container.replaceChildren(h('div', { class: 'chart__empty' }, message));
}

function barOptions({ stacked, unit }) {
  const f = state.fmt;
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: reduceMotion ? false : { duration: 350 },
    interaction: { mode: 'index', intersect: false },
    layout: { padding: { top: 4 } },
    scales: {
      x: {
        stacked,
        grid: { display: false },
        border: { color: '#e4e7ec' },
        ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 16, color: '#5d6679' },
      },
      y: {
        stacked,
        beginAtZero: true,
        border: { display: false },
        grid: { color: '#eef0f3' },
        ticks: { precision: 0, maxTicksLimit: 6, color: '#5d6679', callback: (v) => f.int(v) },
      },
    },
    plugins: {
      legend: { display: false },
      tooltip: {
        backgroundColor: '#101828',
        padding: 10,
        cornerRadius: 8,
        boxPadding: 4,
        usePointStyle: true,
        titleFont: { weight: '600' },
        footerFont: { weight: '600' },
        filter: (item) => item.raw > 0 || item.chart.data.datasets.length === 1,
        callbacks: {
          title: (items) => (items[0] ? f.keyLong(items[0].chart.data.keys[items[0].dataIndex]) : ''),
          label: (item) => ` ${item.dataset.label}: ${f.int(item.raw)}`,
          footer: (items) => {
            if (!stacked || items.length < 2) return '';
            return `Total: ${f.int(items.reduce((s, i) => s + i.raw, 0))} ${unit}`;
          },
        },
      },
    },
  };
}

function drawBarChart(chartKey, container, { keys, datasets, stacked, unit, label }) {
  if (!chartReady()) return chartUnavailable(container, chartKey);
  const labels = keys.map((k) => state.fmt.keyShort(k));
  const canvas = ensureCanvas(container, label);
  let chart = state.charts[chartKey];
  if (chart && chart.canvas !== canvas) {
    chart.destroy();
    chart = null;
  }
  if (!chart) {
    chart = new window.Chart(canvas, {
      type: 'bar',
      data: { labels, keys, datasets },
      options: barOptions({ stacked, unit }),
    });
    state.charts[chartKey] = chart;
  } else {
    chart.data.labels = labels;
    chart.data.keys = keys;
    chart.data.datasets = datasets;
    chart.update();
  }
}

function barStyle(color, n) {
  const thickness = n > 60 ? 8 : n > 35 ? 14 : 22;
  return {
    backgroundColor: color,
    hoverBackgroundColor: color,
    borderRadius: 2,
    borderSkipped: false,
    maxBarThickness: thickness,
    categoryPercentage: 0.8,
    barPercentage: 0.9,
  };
}

// ---------------------------------------------------------------- breakdown lists

function breakdownList(rows, { total, unit, emptyText }) {
  if (!rows.length || total <= 0) return h('p', { class: 'bd-empty' }, emptyText);
  const f = state.fmt;
  const max = Math.max(...rows.map((r) => r.value), 1);
  return [
    h(
      'ul',
      { class: 'bd-list' },
      rows.map((r) =>
        h(
          'li',
          { class: `bd-row${r.selected ? ' is-selected' : ''}`, 'data-key': r.key },
          h(
            'div',
            { class: 'bd-row__head' },
            r.color ? h('span', { class: 'swatch', '--c': r.color, 'aria-hidden': 'true' }) : null,
            h(
              'span',
              { class: 'bd-name', title: r.name },
              r.name,
              r.note ? h('span', { class: 'bd-you' }, ` ${r.note}`) : null,
            ),
            h('span', { class: 'bd-value' }, f.int(r.value)),
            h('span', { class: 'bd-pct' }, f.pct(r.value / total)),
          ),
          h(
            'span',
            { class: 'bar', 'aria-hidden': 'true' },
            h('span', { style: { width: `${((r.value / max) * 100).toFixed(1)}%` }, '--c': r.color ?? undefined }),
          ),
        ),
      ),
    ),
    h('div', { class: 'bd-total' }, h('span', {}, 'Total'), h('span', { class: 'figure' }, `${f.int(total)} ${unit}`)),
  ];
}

// ---------------------------------------------------------------- credit usage history

function userName(id, name) {
  if (name) state.users.set(id, name);
  return state.users.get(id) ?? name ?? id;
}

async function breakdowns(range) {
  const key = `${range.from}|${range.to}`;
  if (!state.breakdownCache.has(key)) {
    const p = Promise.all([
      api('/usage', { params: { from: range.from, to: range.to, groupBy: 'user' } }),
      api('/usage', { params: { from: range.from, to: range.to, groupBy: 'type' } }),
    ]);
    state.breakdownCache.set(key, p);
    p.catch(() => state.breakdownCache.delete(key));
  }
  return state.breakdownCache.get(key);
}

async function loadUsage() {
  const seq = ++state.usageSeq;
  const card = $('#usage-card');
  const errorBox = $('#usage-error');
  card.setAttribute('aria-busy', 'true');
  hideError(errorBox);
  const range = rangeFor(state.range);
  const types = state.typeFilter ? TYPES.filter((t) => t.key === state.typeFilter) : TYPES;
  if (!state.charts.usage) $('#usage-chart').replaceChildren(h('div', { class: 'skeleton skeleton--block' }));
  if (!$('#usage-by-user .bd-list')) $('#usage-by-user').replaceChildren(...skeletonRows(4));
  if (!$('#usage-by-type .bd-list')) $('#usage-by-type').replaceChildren(...skeletonRows(5));
  try {
    const [[byUser, byType], ...series] = await Promise.all([
      breakdowns(range),
      ...types.map((t) =>
        api('/usage', {
          params: {
            from: range.from,
            to: range.to,
            groupBy: 'day',
            type: t.key,
            userId: state.userFilter || undefined,
          },
        }),
      ),
    ]);
    if (seq !== state.usageSeq) return;
    renderUsage(range, types, series, byUser.rows ?? [], byType.rows ?? []);
  } catch {
    if (seq !== state.usageSeq) return;
    showError(errorBox, "We couldn't load your credit usage.", () => loadUsage());
    emptyChart($('#usage-chart'), 'usage', 'No data to show.');
    $('#usage-by-user').replaceChildren(h('p', { class: 'bd-empty' }, 'Unavailable'));
    $('#usage-by-type').replaceChildren(h('p', { class: 'bd-empty' }, 'Unavailable'));
    setText('#usage-total', '');
    setText('#usage-range-label', '');
  } finally {
    if (seq === state.usageSeq) card.setAttribute('aria-busy', 'false');
  }
}

function renderUsage(range, types, series, userRows, typeRows) {
  const f = state.fmt;
  const keys = range.days;
  let total = 0;
  const datasets = types.map((t, i) => {
    const byDay = new Map((series[i].rows ?? []).map((r) => [r.key, Number(r.credits) || 0]));
    const data = keys.map((k) => byDay.get(k) ?? 0);
    total += data.reduce((s, v) => s + v, 0);
    return { label: t.label, data, ...barStyle(t.color, keys.length) };
  });

  const who = state.userFilter ? userName(state.userFilter) : 'all users';
  const what = state.typeFilter ? TYPE_BY_KEY.get(state.typeFilter)?.label : 'all action types';
  setText('#usage-range-label', `${keys.length ? f.keyRange(keys[0], keys[keys.length - 1]) : RANGES[state.range]}`);
  setText('#usage-total', `${f.int(total)} credits`);

  const chartEl = $('#usage-chart');
  if (!keys.length || total === 0) {
    emptyChart(chartEl, 'usage', 'No credits used in this range.');
  } else {
    const busiest = keys.reduce(
      (best, k, i) => {
        const v = datasets.reduce((s, d) => s + d.data[i], 0);
        return v > best.v ? { k, v } : best;
      },
      { k: keys[0], v: -1 },
    );
    drawBarChart('usage', chartEl, {
      keys,
      datasets,
      stacked: true,
      unit: 'credits',
      label: `Credits used per day, ${RANGES[state.range].toLocaleLowerCase(UI_LANG)}, ${who}, ${what}: ${f.int(total)} credits in total; busiest day ${f.keyLong(busiest.k)} with ${f.int(busiest.v)}.`,
    });
  }
  $('#usage-legend').replaceChildren(
    ...types.map((t) => h('li', {}, h('span', { class: 'swatch', '--c': t.color, 'aria-hidden': 'true' }), t.label)),
  );

  // user filter options (users seen in the range, plus the selected one)
  for (const r of userRows) userName(r.key, r.name);
  const userSelect = $('#filter-user');
  const seen = new Set(userRows.map((r) => r.key));
  if (state.userFilter) seen.add(state.userFilter);
  const options = [...seen].map((id) => ({ id, name: userName(id) })).sort((a, b) => a.name.localeCompare(b.name));
  userSelect.replaceChildren(
    h('option', { value: '' }, 'All users'),
    ...options.map((o) => h('option', { value: o.id }, o.id === state.session?.user.id ? `${o.name} (you)` : o.name)),
  );
  userSelect.value = state.userFilter;

  const userTotal = userRows.reduce((s, r) => s + (Number(r.credits) || 0), 0);
  $('#usage-by-user').replaceChildren(
    ...[].concat(
      breakdownList(
        userRows.map((r) => ({
          key: r.key,
          name: userName(r.key, r.name),
          note: r.key === state.session?.user.id ? '(you)' : '',
          value: Number(r.credits) || 0,
          selected: r.key === state.userFilter,
        })),
        { total: userTotal, unit: 'credits', emptyText: 'No credits used in this range.' },
      ),
    ),
  );

  const typeMap = new Map(typeRows.map((r) => [r.key, Number(r.credits) || 0]));
  const typeTotal = [...typeMap.values()].reduce((s, v) => s + v, 0);
  const typeList = TYPES.map((t) => ({
    key: t.key,
    name: t.label,
    color: t.color,
    value: typeMap.get(t.key) ?? 0,
    selected: t.key === state.typeFilter,
  })).sort((a, b) => b.value - a.value);
  $('#usage-by-type').replaceChildren(
    ...[].concat(
      breakdownList(typeList, { total: typeTotal, unit: 'credits', emptyText: 'No credits used in this range.' }),
    ),
  );
}

function bindUsageControls() {
  for (const b of document.querySelectorAll('[data-range]')) {
    b.addEventListener('click', () => {
      if (state.range === b.dataset.range) return;
      state.range = b.dataset.range;
      for (const o of document.querySelectorAll('[data-range]')) o.setAttribute('aria-pressed', String(o === b));
      loadUsage();
    });
  }
  const typeSelect = $('#filter-type');
  typeSelect.append(...TYPES.map((t) => h('option', { value: t.key }, t.label)));
  typeSelect.addEventListener('change', () => {
    state.typeFilter = typeSelect.value;
    loadUsage();
  });
  $('#filter-user').addEventListener('change', (e) => {
    state.userFilter = e.target.value;
    loadUsage();
  });
}

// ---------------------------------------------------------------- export

function bindExport() {
  const button = $('#export-csv');
  button.addEventListener('click', async () => {
    const range = rangeFor(state.range);
    button.disabled = true;
    try {
      // A short-lived signed link for this account, range and grouping; the browser downloads the file.
      const { url } = await api('/export-link', {
        params: { from: range.from, to: range.to, by: $('#export-by').value },
      });
      const a = h('a', { href: url, download: '', hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
    } catch {
      toast("We couldn't prepare the export. Please try again.");
    } finally {
      button.disabled = false;
    }
  });
}

// ---------------------------------------------------------------- monthly conversations

async function loadConversations() {
  const section = $('#conversations');
  const errorBox = $('#conversations-error');
  hideError(errorBox);
  if (!state.credit) {
    showError(errorBox, "We couldn't load your conversations.", retryCredit);
    for (const id of ['conversations-by-identity', 'conversations-by-campaign']) {
      $(`#${id}`).replaceChildren(h('p', { class: 'bd-empty' }, 'Unavailable'));
    }
    emptyChart($('#conversations-chart'), 'conversations', 'No data to show.');
    section.setAttribute('aria-busy', 'false');
    return;
  }
  renderIdentities(state.credit);
  section.setAttribute('aria-busy', 'true');
  $('#conversations-by-campaign').replaceChildren(...skeletonRows(4));
  const { start, end } = state.credit.period;
  try {
    const byCampaign = await api('/usage', { params: { from: start, to: end, groupBy: 'campaign' } });
    renderCampaigns(byCampaign.rows ?? []);
    await loadConversationSeries();
  } catch {
    showError(errorBox, "We couldn't load your conversations by campaign.", () => loadConversations());
    $('#conversations-by-campaign').replaceChildren(h('p', { class: 'bd-empty' }, 'Unavailable'));
  } finally {
    section.setAttribute('aria-busy', 'false');
  }
}

function renderIdentities(cs) {
  const f = state.fmt;
  const list = cs.conversations?.byIdentity ?? [];
  const el = $('#conversations-by-identity');
  if (!list.length) {
    el.replaceChildren(h('p', { class: 'bd-empty' }, 'No identities on this account yet.'));
  } else {
    const total = list.reduce((s, i) => s + i.used, 0);
    const capacity = list.reduce((s, i) => s + i.limit, 0);
    el.replaceChildren(
      h(
        'ul',
        { class: 'bd-list' },
        list.map((i) => {
          const ratio = i.limit > 0 ? i.used / i.limit : 0;
          const status = ratio >= 1 ? 'full' : ratio >= WARN_AT ? 'warn' : 'ok';
          const chip =
            status === 'full'
              ? h('span', { class: 'chip chip--full' }, 'Limit reached')
              : status === 'warn'
                ? h('span', { class: 'chip chip--warn' }, 'Near limit')
                : null;
          return h(
            'li',
            { class: `bd-row is-${status}`, 'data-key': i.identityId, 'data-status': status },
            h(
              'div',
              { class: 'bd-row__head' },
              h('span', { class: 'bd-name', title: i.name }, i.name),
              chip,
              h('span', { class: 'bd-value' }, f.int(i.used), h('span', { class: 'muted' }, ` / ${f.int(i.limit)}`)),
            ),
            h(
              'span',
              {
                class: 'bar',
                role: 'progressbar',
                'aria-label': `${i.name} conversations`,
                'aria-valuemin': '0',
                'aria-valuemax': String(i.limit),
                'aria-valuenow': String(Math.min(i.used, i.limit)),
                'aria-valuetext': `${f.int(i.used)} of ${f.int(i.limit)} (${f.pct(ratio)})`,
              },
              h('span', { style: { width: `${Math.min(100, ratio * 100).toFixed(1)}%` } }),
            ),
          );
        }),
      ),
      h(
        'div',
        { class: 'bd-total' },
        h('span', {}, 'Total'),
        h('span', { class: 'figure' }, `${f.int(total)} / ${f.int(capacity)} conversations`),
      ),
    );
  }
  const select = $('#filter-identity');
  select.replaceChildren(
    h('option', { value: '' }, 'All identities'),
    ...list.map((i) => h('option', { value: i.identityId }, i.name)),
  );
  select.value = list.some((i) => i.identityId === state.identityFilter) ? state.identityFilter : '';
  state.identityFilter = select.value;
}

function renderCampaigns(rows) {
  const total = rows.reduce((s, r) => s + (Number(r.conversations) || 0), 0);
  $('#conversations-by-campaign').replaceChildren(
    ...[].concat(
      breakdownList(
        rows.map((r) => ({
          key: r.key,
          name: r.name ?? r.key,
          value: Number(r.conversations) || 0,
          selected: r.key === state.campaignFilter,
        })),
        { total, unit: 'conversations', emptyText: 'No conversations yet this period.' },
      ),
    ),
  );
  const select = $('#filter-campaign');
  select.replaceChildren(
    h('option', { value: '' }, 'All campaigns'),
    ...rows.map((r) => h('option', { value: r.key }, r.name ?? r.key)),
  );
  select.value = rows.some((r) => r.key === state.campaignFilter) ? state.campaignFilter : '';
  state.campaignFilter = select.value;
}

async function loadConversationSeries() {
  const seq = ++state.convSeq;
  const el = $('#conversations-chart');
  const { start, end } = state.credit.period;
  const todayKey = dayKey(Date.now());
  const keys = dayKeys(dayKey(Date.parse(start)), [dayKey(Date.parse(end) - 1), todayKey].sort()[0]);
  const res = await api('/usage', {
    params: {
      from: start,
      to: end,
      groupBy: 'day',
      metric: 'conversations',
      identityId: state.identityFilter || undefined,
      campaignId: state.campaignFilter || undefined,
    },
  });
  if (seq !== state.convSeq) return;
  const byDay = new Map((res.rows ?? []).map((r) => [r.key, Number(r.conversations) || 0]));
  const data = keys.map((k) => byDay.get(k) ?? 0);
  const total = data.reduce((s, v) => s + v, 0);
  if (!total) {
    emptyChart(el, 'conversations', 'No conversations in this period for this selection.');
    return;
  }
  drawBarChart('conversations', el, {
    keys,
    datasets: [{ label: 'Conversations', data, ...barStyle(ACCENT, keys.length) }],
    stacked: false,
    unit: 'conversations',
    label: `Conversations per day this period: ${state.fmt.int(total)} in total.`,
  });
}

function bindConversationControls() {
  const reload = async () => {
    const errorBox = $('#conversations-error');
    hideError(errorBox);
    try {
      await loadConversationSeries();
    } catch {
      showError(errorBox, "We couldn't load conversations over time.", reload);
    }
  };
  $('#filter-identity').addEventListener('change', (e) => {
    state.identityFilter = e.target.value;
    reload();
  });
  $('#filter-campaign').addEventListener('change', (e) => {
    state.campaignFilter = e.target.value;
    for (const li of document.querySelectorAll('#conversations-by-campaign .bd-row')) {
      li.classList.toggle('is-selected', li.dataset.key === state.campaignFilter);
    }
    reload();
  });
}

// ---------------------------------------------------------------- support chat (Web Chat)

const chat = {
  phase: 'idle', // idle | starting | connecting | live | error
  store: null,
  directLine: null,
  connected: false,
  requestedOrigin: null,
  pendingOrigin: null,
  lastOrigin: null,
  tokenPromise: null,
  scriptPromise: null,
  opener: null,
  timer: null,
  attempt: 0,
};

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.async = true;
    s.onload = () => resolve();
    s.onerror = () => {
      s.remove();
      reject(new Error(`could not load ${src}`));
    };
    document.head.append(s);
  });
}

function loadWebChat() {
  if (window.WebChat) return Promise.resolve();
  if (!chat.scriptPromise) {
    chat.scriptPromise = loadScript(WEBCHAT_SRC).catch((err) => {
      chat.scriptPromise = null;
      throw err;
    });
  }
  return chat.scriptPromise;
}

function getToken() {
  if (!chat.tokenPromise) {
    chat.tokenPromise = api('/directline-token', { method: 'POST' }).then((t) => {
      if (!t?.token) throw new Error('no token');
      return t;
    });
    chat.tokenPromise.catch(() => {
      chat.tokenPromise = null;
    });
  }
  return chat.tokenPromise;
}

function styleOptions(session) {
  return {
    accent: ACCENT,
    primaryFont: FONT,
    backgroundColor: '#f8f9fb',
    subtle: '#5d6679',
    paddingRegular: 10,
    paddingWide: 16,
    avatarSize: 32,
    avatarBorderRadius: '50%',
    botAvatarInitials: 'CB',
    botAvatarBackgroundColor: ACCENT,
    userAvatarInitials: initials(session.user.name),
    userAvatarBackgroundColor: '#5d6679',
    bubbleBackground: '#ffffff',
    bubbleBorderColor: '#e4e7ec',
    bubbleBorderRadius: 12,
    bubbleBorderWidth: 1,
    bubbleTextColor: '#101828',
    bubbleFromUserBackground: ACCENT,
    bubbleFromUserBorderColor: ACCENT,
    bubbleFromUserBorderRadius: 12,
    bubbleFromUserTextColor: '#ffffff',
    bubbleMinHeight: 36,
    bubbleMinWidth: 120,
    bubbleMaxWidth: 300,
    // Charts are 2:1 images: 300 px wide, about 150 px high.
    bubbleImageHeight: 150,
    hideUploadButton: true,
    sendBoxBackground: '#ffffff',
    sendBoxBorderTop: '1px solid #e4e7ec',
    sendBoxButtonColor: ACCENT,
    sendBoxButtonColorOnHover: '#2443c4',
    sendBoxHeight: 52,
    sendBoxPlaceholderColor: '#667085',
    sendBoxTextColor: '#101828',
    suggestedActionBorderRadius: 16,
    suggestedActionBorderColor: ACCENT,
    suggestedActionBorderWidth: 1,
    suggestedActionTextColor: ACCENT,
    suggestedActionBackgroundColor: '#ffffff',
    suggestedActionBackgroundColorOnHover: '#eef2ff',
    suggestedActionHeight: 32,
    suggestedActionLayout: 'flow',
    timestampColor: '#667085',
    transcriptTerminatorBorderRadius: 6,
  };
}

function chatButtons() {
  return document.querySelectorAll('[data-chat-origin]');
}

function setChatExpanded(open) {
  $('[data-testid="help-button"]').setAttribute('aria-expanded', String(open));
}

function showChatStatus(kind, { title, text, retry } = {}) {
  const el = $('#chat-status');
  if (kind === 'none') {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.hidden = false;
  el.dataset.state = kind;
  if (kind === 'loading') {
    el.replaceChildren(
      h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('p', {}, 'Connecting you to support…'),
    );
  } else {
    el.replaceChildren(
      h('span', { class: 'status-icon', 'aria-hidden': 'true' }, icon('i-alert')),
      h('h3', {}, title),
      h('p', {}, text),
      retry
        ? h(
            'button',
            { type: 'button', class: 'btn btn--primary btn--small', 'data-testid': 'chat-retry', onclick: retry },
            'Try again',
          )
        : null,
    );
  }
}

function openChat(origin, opener) {
  chat.opener = opener ?? null;
  chat.requestedOrigin = origin;
  chat.pendingOrigin = origin;
  const panel = $('#chat-panel');
  const wasHidden = panel.hidden;
  panel.hidden = false;
  panel.dataset.origin = origin;
  setChatExpanded(true);
  if (chat.phase === 'live') {
    flushJoin();
    focusSendBox();
  } else if (chat.phase === 'idle' || chat.phase === 'error') {
    startChat();
  }
  // starting / connecting: the pending origin is sent once Direct Line is connected
  if (wasHidden && chat.phase !== 'live') $('#chat-close').focus();
}

function closeChat() {
  $('#chat-panel').hidden = true;
  setChatExpanded(false);
  if (chat.opener && document.contains(chat.opener)) chat.opener.focus();
}

function flushJoin() {
  if (!chat.connected || !chat.store || !chat.pendingOrigin) return;
  const origin = chat.pendingOrigin;
  chat.pendingOrigin = null;
  if (origin === chat.lastOrigin) return;
  chat.lastOrigin = origin;
  chat.store.dispatch({
    type: 'WEB_CHAT/SEND_EVENT',
    payload: { name: 'webchat/join', value: { origin, locale: VISITOR_LOCALE, pageUrl: location.origin } },
  });
}

function focusSendBox() {
  const input = $('#webchat textarea, #webchat input[type="text"]');
  if (input) input.focus();
}

function chatFailed(title, text) {
  chat.phase = 'error';
  chat.connected = false;
  clearTimeout(chat.timer);
  try {
    chat.directLine?.end?.();
  } catch {
    // already ended
  }
  chat.tokenPromise = null;
  showChatStatus('error', { title, text, retry: retryChat });
}

function retryChat() {
  chat.pendingOrigin = chat.requestedOrigin;
  startChat();
}

async function startChat() {
  const attempt = ++chat.attempt;
  chat.phase = 'starting';
  chat.connected = false;
  chat.lastOrigin = null;
  showChatStatus('loading');
  let session;
  let token;
  try {
    [session, token] = await Promise.all([ensureSession(), getToken(), loadWebChat()]);
  } catch (err) {
    if (attempt !== chat.attempt) return;
    const offline = err instanceof ApiError && err.status === 0;
    chatFailed(
      "We couldn't start the chat",
      offline
        ? 'It looks like you are offline. Check your connection and try again.'
        : 'Support is not reachable right now. Please try again in a moment; your Account Manager can also help you directly.',
    );
    return;
  }
  if (attempt !== chat.attempt) return;
  if (!state.session) applySession(session);

  const { WebChat } = window;
  const store = WebChat.createStore({}, ({ dispatch }) => (next) => (action) => {
    if (attempt !== chat.attempt) return next(action);
    if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
      const result = next(action);
      chat.connected = true;
      chat.phase = 'live';
      clearTimeout(chat.timer);
      showChatStatus('none');
      if (chat.pendingOrigin && chat.pendingOrigin !== chat.lastOrigin) {
        const origin = chat.pendingOrigin;
        chat.pendingOrigin = null;
        chat.lastOrigin = origin;
        dispatch({
          type: 'WEB_CHAT/SEND_EVENT',
          payload: { name: 'webchat/join', value: { origin, locale: VISITOR_LOCALE, pageUrl: location.origin } },
        });
      }
      if (!$('#chat-panel').hidden) setTimeout(focusSendBox, 0);
      return result;
    }
    if (action.type === 'DIRECT_LINE/CONNECT_REJECTED') {
      const result = next(action);
      chatFailed("We couldn't connect to support", 'The connection was refused. Please try again in a moment.');
      return result;
    }
    return next(action);
  });
  chat.store = store;
  chat.directLine = WebChat.createDirectLine({ token: token.token, domain: DIRECT_LINE_DOMAIN, webSocket: true });
  chat.phase = 'connecting';

  const host = h('div', { class: 'webchat-root' });
  $('#webchat').replaceChildren(host);
  WebChat.renderWebChat(
    {
      directLine: chat.directLine,
      store,
      userID: session.user.id,
      username: session.user.name,
      // The visitor's language, not the account's: figures on the page follow the account, the chat its reader.
      locale: VISITOR_LOCALE,
      styleOptions: styleOptions(session),
    },
    host,
  );

  clearTimeout(chat.timer);
  chat.timer = setTimeout(() => {
    if (attempt === chat.attempt && !chat.connected) {
      chatFailed('Support is taking too long to answer', 'Please try again in a moment.');
    }
  }, CONNECT_TIMEOUT_MS);
}

function bindChat() {
  for (const b of chatButtons()) {
    b.addEventListener('click', () => openChat(b.dataset.chatOrigin, b));
  }
  $('#chat-close').addEventListener('click', closeChat);
  document.addEventListener('keydown', (e) => {
    const panel = $('#chat-panel');
    if (e.key !== 'Escape' || panel.hidden || e.defaultPrevented) return;
    // inside the transcript Web Chat uses Escape itself (back to the send box)
    if (e.target instanceof Element && e.target.closest('.webchat__basic-transcript')) return;
    closeChat();
  });
}

// ---------------------------------------------------------------- boot

function bindDemoLinks() {
  for (const a of document.querySelectorAll('[data-demo-link]')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      toast('Only View Usage is part of this demo.');
    });
  }
}

async function loadAll() {
  const banner = $('#page-error');
  hideError(banner);
  let session;
  try {
    session = await ensureSession();
  } catch {
    showError(banner, "We couldn't load your account. Check your connection and try again.", () => loadAll());
    return;
  }
  applySession(session);
  await loadCredit();
  loadUsage();
  loadConversations();
  // warm the Web Chat bundle once the page is settled, so the chat opens fast
  const warm = () => loadWebChat().catch(() => {});
  if ('requestIdleCallback' in window) window.requestIdleCallback(warm, { timeout: 4000 });
  else setTimeout(warm, 2000);
}

function revealActiveNav() {
  // on narrow screens the product nav scrolls sideways: keep "View Usage" in sight
  const bar = $('.sidebar');
  const active = $('.nav__link.is-active');
  if (bar && active && bar.scrollWidth > bar.clientWidth) {
    bar.scrollLeft = active.offsetLeft + active.offsetWidth - bar.clientWidth + 12;
  }
}

revealActiveNav();
bindTabs();
bindUsageControls();
bindExport();
bindConversationControls();
bindChat();
bindDemoLinks();
loadAll();
