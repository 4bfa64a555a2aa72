/**
 * CSV exports through the real HTTP server: a link the chat offers downloads the account's rows (totals equal
 * the credit state), and the link refuses another account, a changed signature, an expired link and a malformed
 * range with a clear 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportQuery } from '../../src/credits/usage-export.ts';
import { parseCsv } from '../../src/shared/csv.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { ChatClient, textOf } from '../helpers/chat.ts';
import { seedAccount, uid, usageEvent } from '../helpers/factories.ts';

let app: TestApp;
let mine: { id: string; users: Array<{ id: string; name: string }> };
let other: { id: string; users: Array<{ id: string; name: string }> };

beforeAll(async () => {
  app = await startTestApp();
  mine = await seedAccount(app, {
    timeZone: 'Europe/Madrid',
    users: [{ name: 'Ana Ruiz' }, { name: '=HYPERLINK("http://evil")' }],
  });
  other = await seedAccount(app, { users: [{ name: 'Someone Else' }] });
  const now = Date.now();
  const events = [
    usageEvent(mine.id, {
      userId: mine.users[0]!.id,
      type: 'enrichment',
      credits: 120,
      occurredAt: new Date(now - 60_000),
    }),
    usageEvent(mine.id, {
      userId: mine.users[1]!.id,
      type: 'workflow',
      credits: 35,
      occurredAt: new Date(now - 120_000),
    }),
    usageEvent(other.id, { userId: other.users[0]!.id, credits: 999, occurredAt: new Date(now - 60_000) }),
  ];
  expect((await app.api('POST', '/usage-events', { events })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const fetchLink = (href: string) => fetch(new URL(href, app.url));
const linkOf = (text: string, label: RegExp) => {
  const m = [...text.matchAll(/\[([^\]]+)\]\(([^)]+)\)/g)].find((x) => label.test(x[1]!));
  if (!m) throw new Error(`no link ${label} in ${text}`);
  return m[2]!;
};

describe('CSV exports', () => {
  it('the chat offers links whose files hold the account rows, totals equal to the credit state', async () => {
    const chat = await ChatClient.open(app.url, mine.users[0]!.id);
    const text = textOf(await chat.say('export my usage as csv'));
    const byDay = linkOf(text, /by day/);
    expect(byDay).toMatch(/^\/exports\/usage\.csv\?account=/);
    const res = await fetchLink(byDay);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="usage-.*-by-day\.csv"$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 with a byte order mark
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual(['date', 'credits', 'conversations']);
    const state = (await app.api('GET', `/accounts/${mine.id}/credit-state`)).body;
    expect(rows.slice(1).reduce((s, r) => s + Number(r[1]), 0)).toBe(state.credits.usedThisPeriod);
    expect(state.credits.usedThisPeriod).toBe(155);

    // (text() drops the byte order mark, as a UTF-8 decoder does)
    const byUser = parseCsv(await (await fetchLink(linkOf(text, /by user/))).text());
    expect(byUser[0]).toEqual(['user_id', 'user_name', 'credits']);
    // A name that looks like a formula is written as text.
    expect(byUser.find((r) => r[0] === mine.users[1]!.id)).toEqual([
      mine.users[1]!.id,
      `'=HYPERLINK("http://evil")`,
      '35',
    ]);
    expect(byUser.some((r) => r[0] === other.users[0]!.id)).toBe(false);
  });

  it('refuses a link pointed at another account, a changed signature, an expired link and a malformed range', async () => {
    const now = Date.now();
    const good = new URLSearchParams(
      app.services.exportLinks
        .link(mine.id, { from: new Date(now - 86_400_000), to: new Date(now + 86_400_000), by: 'day' })
        .url.split('?')[1],
    );
    const get = (q: URLSearchParams) => fetch(`${app.url}/exports/usage.csv?${q}`);
    expect((await get(good)).status).toBe(200);

    const otherAccount = new URLSearchParams(good);
    otherAccount.set('account', other.id);
    const r1 = await get(otherAccount);
    expect(r1.status).toBe(403);
    expect((await r1.json()).error.message).toMatch(/not valid/);

    const changed = new URLSearchParams(good);
    changed.set('sig', `${good.get('sig')!.slice(0, -2)}xx`);
    expect((await get(changed)).status).toBe(403);

    const expiredLink = {
      accountId: mine.id,
      from: new Date(now - 86_400_000),
      to: new Date(now),
      by: 'day' as const,
      expires: Math.floor(now / 1000) - 5,
    };
    const r3 = await get(new URLSearchParams(exportQuery(app.services.exportKey, expiredLink)));
    expect(r3.status).toBe(403);
    expect((await r3.json()).error.message).toMatch(/expired/);

    const malformed = new URLSearchParams(good);
    malformed.set('from', 'last tuesday');
    const r4 = await get(malformed);
    expect(r4.status).toBe(400);
    const backwards = new URLSearchParams(good);
    backwards.set('from', good.get('to')!);
    backwards.set('to', good.get('from')!);
    expect((await get(backwards)).status).toBe(400);
    expect((await fetch(`${app.url}/exports/usage.csv`)).status).toBe(400);

    // A valid signature for an account that does not exist (a key that signs anything): 404.
    const ghost = { ...expiredLink, accountId: uid('acc'), expires: Math.floor(now / 1000) + 60 };
    expect((await get(new URLSearchParams(exportQuery(app.services.exportKey, ghost)))).status).toBe(404);
  });
});
