/** Input factories: an account with a plan, users, identities, events; unique ids per call. */
import { randomUUID } from 'node:crypto';
import type { TestApp } from './app.ts';

export const uid = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

export interface SeedAccountOptions {
  id?: string;
  name?: string;
  monthlyCredits?: number;
  price?: { amount: number; currency: string };
  identities?: number;
  conversationsPerIdentity?: number;
  timeZone?: string;
  locale?: string;
  topUpDay?: number;
  accountManager?: { slackUserId: string; name: string; email?: string };
  users?: Array<{ id?: string; name: string; locale?: string }>;
}

export async function seedAccount(app: TestApp, o: SeedAccountOptions = {}) {
  const id = o.id ?? uid('acc');
  const res = await app.api('PUT', `/accounts/${id}`, {
    name: o.name ?? `Account ${id}`,
    plan: {
      name: 'Growth',
      monthlyCredits: o.monthlyCredits ?? 10_000,
      price: o.price ?? { amount: 44_900, currency: 'EUR' },
      identities: o.identities ?? 5,
      ...(o.conversationsPerIdentity !== undefined ? { conversationsPerIdentity: o.conversationsPerIdentity } : {}),
    },
    ...(o.timeZone ? { timeZone: o.timeZone } : {}),
    ...(o.locale ? { locale: o.locale } : {}),
    ...(o.topUpDay ? { topUpDay: o.topUpDay } : {}),
    ...(o.accountManager ? { accountManager: o.accountManager } : {}),
  });
  if (res.status >= 300) throw new Error(`seedAccount failed: ${res.status} ${JSON.stringify(res.body)}`);
  const users: Array<{ id: string; name: string }> = [];
  for (const u of o.users ?? [{ name: 'Test User' }]) {
    const userId = u.id ?? uid('usr');
    const r = await app.api('PUT', `/accounts/${id}/users/${userId}`, {
      name: u.name,
      ...(u.locale ? { locale: u.locale } : {}),
    });
    if (r.status >= 300) throw new Error(`seed user failed: ${r.status} ${JSON.stringify(r.body)}`);
    users.push({ id: userId, name: u.name });
  }
  return { id, users };
}

export function usageEvent(
  accountId: string,
  o: { id?: string; userId?: string; type?: string; credits?: number; occurredAt?: string | Date } = {},
) {
  return {
    id: o.id ?? uid('evt'),
    accountId,
    userId: o.userId ?? 'usr_x',
    type: o.type ?? 'enrichment',
    credits: o.credits ?? 10,
    occurredAt: o.occurredAt instanceof Date ? o.occurredAt.toISOString() : (o.occurredAt ?? new Date().toISOString()),
  };
}

export function conversationEvent(
  accountId: string,
  o: { id?: string; identityId?: string; campaignId?: string; campaignName?: string; occurredAt?: string | Date } = {},
) {
  return {
    id: o.id ?? uid('cev'),
    accountId,
    identityId: o.identityId ?? 'idn_x',
    campaignId: o.campaignId ?? 'cmp_x',
    ...(o.campaignName ? { campaignName: o.campaignName } : {}),
    occurredAt: new Date(o.occurredAt ?? Date.now() - 60_000).toISOString(),
  };
}
