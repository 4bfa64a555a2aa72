// Throwaway preview server for the View Usage demo page (src/web/public), with no dependencies beyond Node.
//
//   node scripts/dev-page-preview.mjs            # http://127.0.0.1:4173/  (PREVIEW_PORT to change)
//
// It serves src/web/public at /, the two vendor bundles from node_modules at /vendor/*, fake but consistent
// /demo/api/* data for the seed account, and a tiny in-memory Direct Line 3.0 (REST + WebSocket stream) so
// Web Chat can be looked at. Loading / with a query string switches the preview (kept in cookies for the
// page's API calls; every load of / resets what its query does not name):
//   ?locale=en|es          account locale (default es; PREVIEW_LOCALE env)
//   ?tz=Europe/Madrid      account time zone
//   ?delay=3000            delay every /demo/api response (to see the loading skeletons)
//   ?fail=session|credit-state|usage|token   make that endpoint answer 500
//   ?chat=mock|dummy       mock: the fake Direct Line answers; dummy: token is fake and /v3/directline 404s
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const publicDir = path.join(root, 'src/web/public');
const vendor = {
  '/vendor/webchat.js': path.join(root, 'node_modules/botframework-webchat/dist/webchat.js'),
  '/vendor/chart.umd.js': path.join(root, 'node_modules/chart.js/dist/chart.umd.js'),
};
const PORT = Number(process.env.PREVIEW_PORT ?? 4173);
const DEFAULT_LOCALE = process.env.PREVIEW_LOCALE ?? 'es';
const DEFAULT_TZ = 'Europe/Madrid';
const TYPES = ['company_scraping', 'contact_scraping', 'enrichment', 'ai_variable', 'workflow'];
const DAY = 86_400_000;

// ---------- time-zone helpers ----------
function zonedParts(ms, tz) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const o = {};
  for (const p of parts) if (p.type !== 'literal') o[p.type] = Number(p.value);
  return o;
}
function dayKey(ms, tz) {
  const p = zonedParts(ms, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
function offset(ms, tz) {
  const p = zonedParts(ms, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (ms % 1000));
}
function zonedToUtc(y, m, d, h, min, tz) {
  const guess = Date.UTC(y, m - 1, d, h, min);
  const o1 = offset(guess, tz);
  const t = guess - o1;
  const o2 = offset(t, tz);
  return o2 === o1 ? t : guess - o2;
}

// ---------- deterministic fake data ----------
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USERS = [
  { id: 'usr_laura', name: 'Laura Martín', weight: 0.42 },
  { id: 'usr_carlos', name: 'Carlos Ruiz', weight: 0.28 },
  { id: 'usr_marta', name: 'Marta Sánchez', weight: 0.2 },
  { id: 'usr_javier', name: 'Javier López', weight: 0.1 },
];
const TYPE_WEIGHT = {
  company_scraping: 0.2,
  contact_scraping: 0.34,
  enrichment: 0.26,
  ai_variable: 0.12,
  workflow: 0.08,
};
const IDENTITIES = [
  { id: 'idn_ana', name: 'Ana García (LinkedIn)', used: 412 },
  { id: 'idn_laura', name: 'Laura Martín (LinkedIn)', used: 500 },
  { id: 'idn_carlos', name: 'Carlos Ruiz (LinkedIn)', used: 237 },
  { id: 'idn_ventas', name: 'Equipo Ventas (Email)', used: 128 },
  { id: 'idn_marta', name: 'Marta Sánchez (LinkedIn)', used: 389 },
];
const CAMPAIGNS = [
  { id: 'cmp_cfo', name: 'Q4 SaaS CFOs · Spain', weight: 0.34 },
  { id: 'cmp_latam', name: 'Retail expansion LATAM', weight: 0.24 },
  { id: 'cmp_webinar', name: 'Webinar follow-up (Nov)', weight: 0.18 },
  { id: 'cmp_fintech', name: 'Fintech decision makers', weight: 0.15 },
  { id: 'cmp_reactivation', name: 'Reactivation · lost deals', weight: 0.09 },
];

function buildData(tz) {
  const now = Date.now();
  const today = zonedParts(now, tz);
  const tomorrow = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
  const ty = tomorrow.getUTCFullYear();
  const tm = tomorrow.getUTCMonth() + 1;
  const td = tomorrow.getUTCDate();
  const periodEnd = zonedToUtc(ty, tm, td, 0, 0, tz);
  const periodStart = zonedToUtc(ty, tm - 1, td, 0, 0, tz);
  const r = rng(20261126);

  // credit usage: ~100 days back, one event per (day, user, type)
  const usage = [];
  for (let i = 100; i >= 0; i--) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day - i));
    const dow = d.getUTCDay();
    const weekend = dow === 0 || dow === 6;
    const burst = r() < 0.12 ? 2.6 : 1;
    const dayTotal = (weekend ? 12 : 95) * burst * (0.6 + r() * 0.8);
    for (const u of USERS) {
      for (const t of TYPES) {
        if (r() < 0.35) continue;
        const credits = Math.round(dayTotal * u.weight * TYPE_WEIGHT[t] * (0.4 + r() * 1.6));
        if (credits <= 0) continue;
        const hour = 8 + Math.floor(r() * 11);
        const ts = zonedToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, Math.floor(r() * 60), tz);
        if (ts > now) continue;
        usage.push({ ts, userId: u.id, type: t, credits });
      }
    }
  }
  // make this period add up to the seed's 2.269
  const inPeriod = usage.filter((e) => e.ts >= periodStart && e.ts < periodEnd);
  const sum = inPeriod.reduce((s, e) => s + e.credits, 0);
  let scaled = 0;
  for (const e of inPeriod) {
    e.credits = Math.max(1, Math.round((e.credits * 2269) / sum));
    scaled += e.credits;
  }
  inPeriod.sort((a, b) => b.credits - a.credits);
  inPeriod[0].credits += 2269 - scaled;

  // conversations this period, per identity totals as in IDENTITIES
  const conv = [];
  const days = Math.max(1, Math.floor((Math.min(now, periodEnd) - periodStart) / DAY));
  for (const idn of IDENTITIES) {
    for (let n = 0; n < idn.used; n++) {
      let ts;
      do {
        // a little more in the second half of the period
        const f = Math.sqrt(r());
        ts = periodStart + Math.floor(f * days * DAY) + Math.floor(r() * DAY);
      } while (ts > now);
      let x = r();
      let camp = CAMPAIGNS[0];
      for (const c of CAMPAIGNS) {
        x -= c.weight;
        camp = c;
        if (x <= 0) break;
      }
      conv.push({ ts, identityId: idn.id, campaignId: camp.id });
    }
  }
  return { now, periodStart, periodEnd, usage, conv };
}

let cache = { tz: null, at: 0, data: null };
function data(tz) {
  if (cache.tz !== tz || Date.now() - cache.at > 10 * 60_000) cache = { tz, at: Date.now(), data: buildData(tz) };
  return cache.data;
}

function session(locale, tz) {
  return {
    user: { id: USERS[0].id, name: USERS[0].name },
    account: { id: 'acc_nexo', name: 'Nexo Ventas S.L.', timeZone: tz, locale },
  };
}

function creditState(tz) {
  const d = data(tz);
  const used = new Map();
  for (const c of d.conv) used.set(c.identityId, (used.get(c.identityId) ?? 0) + 1);
  return {
    accountId: 'acc_nexo',
    plan: {
      name: 'Growth',
      monthlyCredits: 10000,
      price: { amount: 44900, currency: 'EUR' },
      identities: 5,
      conversationsPerIdentity: 500,
    },
    period: { start: new Date(d.periodStart).toISOString(), end: new Date(d.periodEnd).toISOString() },
    nextTopUpAt: new Date(d.periodEnd).toISOString(),
    credits: { plan: 10000, addOn: 0, accumulated: 4931, balance: 14931, usedThisPeriod: 2269, overage: 0 },
    conversations: {
      limitPerIdentity: 500,
      byIdentity: IDENTITIES.map((i) => ({ identityId: i.id, name: i.name, used: used.get(i.id) ?? 0, limit: 500 })),
    },
  };
}

function usage(tz, q) {
  const d = data(tz);
  const from = Date.parse(q.get('from') ?? '');
  const to = Date.parse(q.get('to') ?? '');
  const groupBy = q.get('groupBy');
  if (Number.isNaN(from) || Number.isNaN(to) || !['type', 'user', 'day', 'identity', 'campaign'].includes(groupBy)) {
    return [400, { error: 'from, to and groupBy are required' }];
  }
  const metric = q.get('metric') ?? (groupBy === 'identity' || groupBy === 'campaign' ? 'conversations' : 'credits');
  const totals = new Map();
  const add = (k, v) => totals.set(k, (totals.get(k) ?? 0) + v);
  if (metric === 'credits') {
    for (const e of d.usage) {
      if (e.ts < from || e.ts >= to) continue;
      if (q.get('type') && e.type !== q.get('type')) continue;
      if (q.get('userId') && e.userId !== q.get('userId')) continue;
      add(groupBy === 'type' ? e.type : groupBy === 'user' ? e.userId : dayKey(e.ts, tz), e.credits);
    }
  } else {
    for (const e of d.conv) {
      if (e.ts < from || e.ts >= to) continue;
      if (q.get('identityId') && e.identityId !== q.get('identityId')) continue;
      if (q.get('campaignId') && e.campaignId !== q.get('campaignId')) continue;
      add(groupBy === 'identity' ? e.identityId : groupBy === 'campaign' ? e.campaignId : dayKey(e.ts, tz), 1);
    }
  }
  const names = {
    user: Object.fromEntries(USERS.map((u) => [u.id, u.name])),
    identity: Object.fromEntries(IDENTITIES.map((u) => [u.id, u.name])),
    campaign: Object.fromEntries(CAMPAIGNS.map((u) => [u.id, u.name])),
  }[groupBy];
  const rows = [...totals].map(([key, v]) => ({ key, ...(names?.[key] ? { name: names[key] } : {}), [metric]: v }));
  if (groupBy === 'day') rows.sort((a, b) => (a.key < b.key ? -1 : 1));
  else rows.sort((a, b) => b[metric] - a[metric]);
  return [200, { rows }];
}

// ---------- mock Direct Line 3.0 ----------
const conversations = new Map();
function conversation(id) {
  if (!conversations.has(id)) conversations.set(id, { id, activities: [], sockets: new Set(), seq: 0 });
  return conversations.get(id);
}
const tokenConversation = new Map();
function conversationBody(req, conv, token) {
  return {
    conversationId: conv.id,
    token,
    expires_in: 1800,
    streamUrl: `ws://${req.headers.host}/v3/directline/conversations/${conv.id}/stream?t=${token}`,
  };
}
function publish(conv, activity) {
  const a = {
    ...activity,
    id: `${conv.id}|${String(conv.seq++).padStart(7, '0')}`,
    timestamp: new Date().toISOString(),
    conversation: { id: conv.id },
    channelId: 'directline',
  };
  conv.activities.push(a);
  for (const s of conv.sockets) wsSend(s, JSON.stringify({ activities: [a], watermark: String(conv.seq) }));
  return a;
}
const BOT = { id: 'credits-bot', name: 'Credits Bot', role: 'bot' };
function botReply(conv, activity, locale) {
  const es = locale.startsWith('es');
  const say = (text, extra = {}) => {
    publish(conv, { type: 'typing', from: BOT });
    setTimeout(() => publish(conv, { type: 'message', from: BOT, text, ...extra }), 500);
  };
  if (activity.type === 'event' && activity.name === 'webchat/join') {
    const origin = activity.value?.origin;
    if (origin === 'change_plan') {
      say(
        es
          ? 'Hola Laura. Tu plan actual es **Growth**: 10.000 créditos al mes por 449 €. ¿A qué plan te gustaría cambiar?'
          : 'Hi Laura. Your current plan is **Growth**: 10,000 credits a month for €449. Which plan would you like to move to?',
        {
          suggestedActions: {
            actions: (es
              ? ['Scale · 25.000 créditos', 'Starter · 5.000 créditos', 'Hablar con mi gestor']
              : ['Scale · 25,000 credits', 'Starter · 5,000 credits', 'Talk to my account manager']
            ).map((t) => ({ type: 'imBack', title: t, value: t })),
          },
        },
      );
    } else if (origin === 'buy_more') {
      say(
        es
          ? 'Te quedan **14.931 créditos** y se recargan mañana. ¿Cuántos créditos adicionales necesitas?'
          : 'You have **14,931 credits** left and they top up tomorrow. How many extra credits do you need?',
        {
          suggestedActions: {
            actions: ['1.000', '5.000', '10.000'].map((t) => ({ type: 'imBack', title: t, value: t })),
          },
        },
      );
    } else {
      say(es ? 'Hola Laura, ¿en qué te puedo ayudar con tus créditos?' : 'Hi Laura, how can I help with your credits?');
    }
  } else if (activity.type === 'message') {
    say(
      es
        ? 'Gracias. He preparado la solicitud y se la he enviado a tu gestor de cuenta para que la apruebe. Te aviso aquí en cuanto responda.'
        : "Thanks. I've prepared the request and sent it to your account manager for approval. I'll let you know here as soon as they answer.",
    );
  }
}

// minimal server-side WebSocket (text frames out; incoming frames are read only for close)
function wsAccept(req, socket, conv) {
  const key = req.headers['sec-websocket-key'];
  const accept = createHash('sha1')
    .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
    .digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  conv.sockets.add(socket);
  socket.on('data', (buf) => {
    if ((buf[0] & 0x0f) === 0x8) {
      socket.end(Buffer.from([0x88, 0]));
    }
  });
  const drop = () => conv.sockets.delete(socket);
  socket.on('close', drop);
  socket.on('error', drop);
  if (conv.activities.length) {
    wsSend(socket, JSON.stringify({ activities: conv.activities, watermark: String(conv.seq) }));
  }
}
function wsSend(socket, text) {
  const payload = Buffer.from(text);
  let header;
  if (payload.length < 126) header = Buffer.from([0x81, payload.length]);
  else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  socket.write(Buffer.concat([header, payload]));
}

// ---------- HTTP ----------
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const c = cookies(req);
    const opts = {
      locale: c.preview_locale || DEFAULT_LOCALE,
      tz: c.preview_tz || DEFAULT_TZ,
      delay: Number(c.preview_delay || 0),
      fail: c.preview_fail || '',
      chat: c.preview_chat || 'mock',
    };
    const p = url.pathname;

    if (p.startsWith('/demo/api/')) {
      if (opts.delay) await sleep(opts.delay);
      const name = p.slice('/demo/api/'.length);
      if (opts.fail.split(',').includes(name === 'directline-token' ? 'token' : name)) {
        return json(res, 500, { error: 'preview: simulated failure' });
      }
      if (name === 'session' && req.method === 'GET') return json(res, 200, session(opts.locale, opts.tz));
      if (name === 'credit-state' && req.method === 'GET') return json(res, 200, creditState(opts.tz));
      if (name === 'usage' && req.method === 'GET') {
        const [status, body] = usage(opts.tz, url.searchParams);
        return json(res, status, body);
      }
      if (name === 'directline-token' && req.method === 'POST') {
        const token = `preview.${randomUUID()}`;
        const conversationId = `conv-${randomUUID().slice(0, 8)}`;
        tokenConversation.set(token, conversationId);
        return json(res, 200, { conversationId, token, expires_in: 1800 });
      }
      return json(res, 404, { error: 'not found' });
    }

    if (p.startsWith('/v3/directline/')) {
      if (opts.chat !== 'mock') return json(res, 404, { error: 'preview: no Direct Line here' });
      const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      if (p === '/v3/directline/conversations' && req.method === 'POST') {
        const conv = conversation(tokenConversation.get(token) ?? `conv-${randomUUID().slice(0, 8)}`);
        return json(res, 201, conversationBody(req, conv, token));
      }
      if (p === '/v3/directline/tokens/refresh' && req.method === 'POST') {
        return json(res, 200, { conversationId: tokenConversation.get(token), token, expires_in: 1800 });
      }
      const m = p.match(/^\/v3\/directline\/conversations\/([^/]+)(\/activities)?$/);
      if (m && !m[2] && req.method === 'GET') return json(res, 200, conversationBody(req, conversation(m[1]), token));
      if (m?.[2] && req.method === 'POST') {
        const conv = conversation(m[1]);
        const body = await readBody(req);
        const a = publish(conv, body);
        console.log(
          `[directline] ${conv.id} <- ${body.type}${body.name ? ` ${body.name}` : ''} ${JSON.stringify(body.value ?? body.text ?? '')}`,
        );
        setTimeout(() => botReply(conv, body, opts.locale), 250);
        return json(res, 200, { id: a.id });
      }
      if (m?.[2] && req.method === 'GET') {
        const conv = conversation(m[1]);
        const wm = Number(url.searchParams.get('watermark') || 0);
        return json(res, 200, { activities: conv.activities.slice(wm), watermark: String(conv.seq) });
      }
      return json(res, 404, { error: 'not found' });
    }

    if (vendor[p]) {
      res.writeHead(200, { 'content-type': MIME['.js'], 'cache-control': 'max-age=3600' });
      return res.end(await readFile(vendor[p]));
    }

    if (p === '/' || p === '/index.html') {
      const q = url.searchParams;
      const set = (k, v) => `preview_${k}=${encodeURIComponent(v ?? '')}; Path=/; SameSite=Lax`;
      res.setHeader('set-cookie', [
        set('locale', q.get('locale')),
        set('tz', q.get('tz')),
        set('delay', q.get('delay')),
        set('fail', q.get('fail')),
        set('chat', q.get('chat')),
      ]);
    }
    const rel = p === '/' ? 'index.html' : decodeURIComponent(p).replace(/^\/+/, '');
    const file = path.join(publicDir, rel);
    if (!file.startsWith(publicDir + path.sep)) return json(res, 403, { error: 'forbidden' });
    const body = await readFile(file).catch(() => null);
    if (!body) return json(res, 404, { error: 'not found' });
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    res.end(body);
  } catch (err) {
    console.error(err);
    if (!res.headersSent) json(res, 500, { error: String(err) });
  }
});

server.on('upgrade', (req, socket) => {
  const m = req.url.match(/^\/v3\/directline\/conversations\/([^/?]+)\/stream/);
  if (!m) return socket.destroy();
  wsAccept(req, socket, conversation(m[1]));
});

server.listen(PORT, '127.0.0.1', () => console.log(`View Usage preview on http://127.0.0.1:${PORT}/`));
