/** Request bodies of the platform API (docs/contract.md), with the reasons a caller needs to fix them. */
import { z } from 'zod';
import { MAX_ALERT_THRESHOLDS } from '../credits/alert-rules.ts';
import { isValidTimeZone } from '../credits/period.ts';
import { USAGE_TYPES } from '../credits/types.ts';
import { unstorableReason } from '../shared/text.ts';

export const MAX_BATCH = 1_000;
const MAX_CREDITS = 100_000_000;

export const idParam = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9._:@-]+$/, 'may contain letters, digits and . _ : @ - only');

/** Free text (names, reasons): trimmed, not empty, at most `max` characters, and storable in PostgreSQL. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .superRefine((s, ctx) => {
      const reason = unstorableReason(s);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    });

const wholeCredits = (min: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number of credits')
    .min(min, min === 0 ? 'must not be negative' : `must be at least ${min}`)
    .max(MAX_CREDITS, `must be at most ${MAX_CREDITS}`);

const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-30T10:00:00Z' })
  .transform((s) => new Date(s));

/** Money is stored in 32-bit columns of minor units. */
export const MAX_MONEY = 2_147_483_647;

export const money = z.object({
  amount: z
    .number()
    .int('must be an integer number of minor units (cents)')
    .min(0, 'must not be negative')
    .max(MAX_MONEY, `must be at most ${MAX_MONEY} minor units`),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .or(
      z
        .string()
        .regex(/^[a-z]{3}$/)
        .transform((s) => s.toUpperCase()),
    ),
});

export const planBody = z.object({
  name: text(100),
  monthlyCredits: wholeCredits(0),
  price: money,
  identities: z.number().int('must be a whole number').min(0).max(10_000),
  conversationsPerIdentity: z.number().int('must be a whole number').min(0).max(1_000_000).optional(),
});

/** Intl throws on a malformed tag (zod runs this check even after the pattern failed): that is just "no". */
function isSupportedLocale(l: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([l]).length > 0;
  } catch {
    return false;
  }
}

export const timeZone = z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Madrid');
export const locale = z
  .string()
  .regex(/^[a-z]{2}(-[A-Za-z]{2,4})?$/, 'must be a language tag such as en or es-ES')
  .refine(isSupportedLocale, 'is not a supported locale');

const share = z
  .number({ error: 'must be a share of the plan between 0 and 1, such as 0.2 for 20 %' })
  .gt(0, 'must be a share of the plan between 0 and 1 (exclusive), such as 0.2 for 20 %')
  .lt(1, 'must be a share of the plan between 0 and 1 (exclusive), such as 0.2 for 20 %');

/** Low-credit alerts of an account: the shares of the plan below which the customer and the manager are told. */
export const alertsBody = z.object(
  {
    thresholds: z
      .array(share, { error: 'must be a list of shares of the plan, such as [0.2, 0.05]' })
      .max(MAX_ALERT_THRESHOLDS, `may hold at most ${MAX_ALERT_THRESHOLDS} shares`)
      .refine((list) => new Set(list).size === list.length, 'must not repeat a share'),
  },
  { error: 'must be an object such as { "thresholds": [0.2, 0.05] }, or null for the default' },
);

export const accountBody = z.object({
  name: text(200),
  plan: planBody.extend({ id: idParam.optional() }),
  timeZone: timeZone.optional(),
  locale: locale.optional(),
  topUpDay: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be between 1 and 28')
    .max(28, 'must be between 1 and 28')
    .optional(),
  accountManager: z
    .object({
      slackUserId: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABCD'),
      name: text(200),
      email: z.email().optional(),
    })
    .optional(),
  alerts: alertsBody
    .nullable()
    .optional()
    .describe(
      'extra semantics: without it the stored thresholds are kept; null goes back to the default [0.2, 0.05]; an empty list turns the share alerts off (the forecast alert stays)',
    ),
});

export const userBody = z.object({
  name: text(200),
  email: z.email().optional(),
  locale: locale.optional(),
});

export const identityBody = z.object({ name: text(200) });

export const usageEventsBody = z.object({
  events: z
    .array(
      z.object({
        id: idParam,
        accountId: idParam,
        userId: idParam,
        type: z.enum(USAGE_TYPES, { error: `must be one of ${USAGE_TYPES.join(', ')}` }),
        credits: wholeCredits(0),
        occurredAt: instant,
      }),
    )
    .min(1, 'must hold at least one event')
    .max(MAX_BATCH, `may hold at most ${MAX_BATCH} events per call`),
});

export const conversationEventsBody = z.object({
  events: z
    .array(
      z.object({
        id: idParam,
        accountId: idParam,
        identityId: idParam,
        campaignId: idParam,
        campaignName: text(200).optional(),
        occurredAt: instant,
      }),
    )
    .min(1, 'must hold at least one event')
    .max(MAX_BATCH, `may hold at most ${MAX_BATCH} events per call`),
});

export const grantBody = z.object({
  id: idParam,
  accountId: idParam,
  kind: z.enum(['addon', 'carryover', 'adjustment'], { error: 'must be one of addon, carryover, adjustment' }),
  credits: wholeCredits(1),
  expiresAt: instant.optional(),
  reason: text(500).optional(),
});

export const packBody = z.object({
  credits: wholeCredits(1),
  price: money,
});

export const usageQuery = z.object({
  from: instant.optional(),
  to: instant.optional(),
  groupBy: z.enum(['type', 'user', 'day', 'identity', 'campaign'], {
    error: 'must be one of type, user, day, identity, campaign',
  }),
  type: z.enum(USAGE_TYPES).optional(),
  userId: idParam.optional(),
  identityId: idParam.optional(),
  campaignId: idParam.optional(),
  metric: z.enum(['credits', 'conversations']).optional(),
});
