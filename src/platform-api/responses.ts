/**
 * What the platform API answers, as zod schemas: the OpenAPI document is generated from them and the
 * integration tests check real answers against them, so the document cannot drift from the code.
 */
import { z } from 'zod';
import { USAGE_TYPES } from '../credits/types.ts';

const isoInstant = z.string().describe('ISO 8601 instant (UTC)');
const money = z.object({
  amount: z.number().int().describe('integer minor units (44900 = 449.00)'),
  currency: z.string(),
});
const planTerms = z.object({
  id: z.string().nullable().optional().describe('extra: the catalog plan id, when known'),
  name: z.string(),
  monthlyCredits: z.number().int(),
  price: money,
  identities: z.number().int(),
  conversationsPerIdentity: z.number().int(),
});

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('bad_request, unauthorized, not_found, conflict, payload_too_large, ...'),
      message: z.string().describe('what is wrong and how to fix it'),
      details: z.unknown().optional(),
    }),
  })
  .describe('Every error: a 4xx names the problem; 5xx only for failures on our side.');

export const creditState = z.object({
  accountId: z.string(),
  plan: planTerms,
  period: z.object({ start: isoInstant, end: isoInstant }),
  nextTopUpAt: isoInstant,
  credits: z.object({
    plan: z.number().int(),
    addOn: z.number().int(),
    accumulated: z.number().int(),
    balance: z.number().int(),
    usedThisPeriod: z.number().int(),
    overage: z.number().int(),
  }),
  conversations: z.object({
    limitPerIdentity: z.number().int(),
    byIdentity: z.array(
      z.object({ identityId: z.string(), name: z.string(), used: z.number().int(), limit: z.number().int() }),
    ),
  }),
  scheduledPlan: planTerms
    .extend({ effectiveFrom: isoInstant })
    .nullable()
    .optional()
    .describe('extra: a plan change scheduled for the next top-up'),
  timeZone: z.string().describe('extra'),
  locale: z.string().describe('extra'),
  grants: z
    .array(
      z.object({
        id: z.string(),
        kind: z.enum(['plan', 'carryover', 'addon', 'adjustment']),
        credits: z.number().int(),
        remaining: z.number().int(),
        expiresAt: isoInstant,
      }),
    )
    .describe('extra: the active grants with what is left of each, soonest-expiring first'),
  asOf: isoInstant.describe('extra'),
  alerts: z
    .object({ thresholds: z.array(z.number()) })
    .optional()
    .describe('extra: the low-credit alert shares of the plan in force for the account, highest first'),
});

export const usageResult = z.object({
  from: isoInstant,
  to: isoInstant,
  groupBy: z.enum(['type', 'user', 'day', 'identity', 'campaign']),
  timeZone: z.string(),
  rows: z.array(
    z.object({
      key: z.string().describe('the usage type, user id, local day (YYYY-MM-DD), identity id or campaign id'),
      name: z.string().optional(),
      credits: z.number().int().optional(),
      conversations: z.number().int().optional(),
    }),
  ),
});

export const forecast = z.object({
  accountId: z.string(),
  asOf: isoInstant,
  burnRatePerDay: z.number(),
  windowDays: z.number().int(),
  usedInWindow: z.number().int(),
  balance: z.number().int(),
  nextTopUpAt: isoInstant,
  runsOutAt: isoInstant.nullable(),
  runsOutBeforeTopUp: z.boolean(),
  neededUntilTopUp: z.number().int(),
  shortfall: z.number().int(),
});

export const ingestResult = z.object({
  received: z.number().int(),
  accepted: z.number().int().describe('new events stored'),
  duplicates: z.number().int().describe('events whose id was already stored with the same content'),
});

export const grantResult = z.object({
  id: z.string(),
  accountId: z.string(),
  kind: z.enum(['addon', 'carryover', 'adjustment']),
  credits: z.number().int(),
  effectiveAt: isoInstant,
  expiresAt: isoInstant,
  reason: z.string().nullable(),
  duplicate: z.boolean().describe('true when the same grant was already recorded (nothing changed)'),
});

export const userResult = z.object({
  id: z.string(),
  accountId: z.string(),
  name: z.string(),
  email: z.string().optional(),
  locale: z.string().optional(),
});

export const identityResult = z.object({ id: z.string(), accountId: z.string(), name: z.string() });

export const planResult = planTerms.extend({ id: z.string() });

export const packResult = z.object({ id: z.string(), credits: z.number().int(), price: money });

export const usageTypes = z.enum(USAGE_TYPES);
