/** What the chat needs from the rest of the product, passed in (the engine does no I/O of its own). */
import type { Directory } from '../accounts/directory.ts';
import type { CreditService } from '../credits/credit-service.ts';
import type { ExportLinks } from '../credits/usage-export.ts';
import type { EscalationReason } from '../escalations/service.ts';
import type { Lang } from '../locale/format.ts';
import type { CatalogPack, CatalogPlan } from '../requests/pricing.ts';
import type { Clock } from '../shared/clock.ts';
import type { ChatIdentity } from './types.ts';

export interface RequestSummary {
  id: string;
  reference: string;
  kind: 'buy_credits' | 'change_plan';
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  credits: number;
  targetPlanName: string | null;
  price: { amount: number; currency: string };
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
  effective: 'immediate' | 'next_top_up' | null;
}

export interface NewRequest {
  kind: 'buy_credits' | 'change_plan';
  credits?: number;
  packId?: string | null;
  planId?: string;
  /** the chat turn that confirmed, so a double click creates one request */
  idempotencyKey: string;
}

export interface RequestPort {
  create(
    who: ChatIdentity,
    req: NewRequest,
  ): Promise<{ request: RequestSummary; managerName: string | null; created: boolean }>;
  list(accountId: string): Promise<RequestSummary[]>;
  cancel(who: ChatIdentity, requestId: string): Promise<RequestSummary>;
}

export interface CatalogPort {
  plans(): Promise<CatalogPlan[]>;
  packs(): Promise<CatalogPack[]>;
}

/** The account's profile and the names its people may mention (src/accounts/directory.ts). */
export type DirectoryPort = Directory;

/** How the customer is told who will answer an escalation, and by when. */
export interface HandoffPromise {
  id: string;
  reference: string;
  /** the person it goes to (the account manager), or null for the support team */
  person: string | null;
  status: 'open' | 'claimed' | 'closed';
  /** when a person should have picked it up */
  dueAt: string;
  /** working hours, for telling the customer honestly (e.g. 09:00-18:00, Mon-Fri, Europe/Madrid) */
  hours: { start: string; end: string; days: number[]; timeZone: string };
}

/** Escalation to a person (src/escalations), as the chat uses it. */
export interface EscalationPort {
  /** Hands the customer to a person; answers the escalation already active for them, if any. */
  open(
    who: ChatIdentity,
    input: { reason: EscalationReason; trigger: string | null },
  ): Promise<HandoffPromise & { created: boolean }>;
  /** The customer's active escalation, moved to this conversation; null when a person holds none. */
  active(who: ChatIdentity): Promise<HandoffPromise | null>;
  status(id: string): Promise<'open' | 'claimed' | 'closed' | null>;
  /** What the customer says while a person holds the conversation (stored, then mirrored to the person). */
  say(id: string, who: ChatIdentity, message: { activityId: string; text: string }): Promise<void>;
  /** The customer goes back to the bot. */
  leave(id: string): Promise<void>;
  /** What a person said while the customer was away from the conversation it went to (shown once, rendered). */
  missed(who: ChatIdentity, lang: Lang, timeZone: string): Promise<string[]>;
}

/**
 * The credit domain as the chat reads it: the state, usage breakdowns, the forecast and the usage of closed
 * periods (plan advice) of its own account.
 */
export type CreditsPort = Pick<CreditService, 'getState' | 'usage' | 'forecast' | 'closedPeriods'>;

/** Signed, short-lived CSV download links of the account's usage (src/credits/usage-export.ts). */
export type ExportPort = ExportLinks;

export interface ChatDeps {
  credits: CreditsPort;
  catalog: CatalogPort;
  requests: RequestPort;
  directory: DirectoryPort;
  /** absent in the engine's unit tests: then the bot only names the account manager */
  escalations?: EscalationPort;
  exports: ExportPort;
  clock: Clock;
}
