/** What the chat needs from the rest of the product, passed in (the engine does no I/O of its own). */
import type { Directory } from '../accounts/directory.ts';
import type { CreditService } from '../credits/credit-service.ts';
import type { ExportLinks } from '../credits/usage-export.ts';
import type { CatalogPack, CatalogPlan } from '../requests/pricing.ts';
import type { Clock } from '../shared/clock.ts';
import type { Intent, NluResult } from './nlu/types.ts';
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

/**
 * The credit domain as the chat reads it: the state, usage breakdowns, the forecast and the usage of closed
 * periods (plan advice) of its own account.
 */
export type CreditsPort = Pick<CreditService, 'getState' | 'usage' | 'forecast' | 'closedPeriods'>;

/** Signed, short-lived CSV download links of the account's usage (src/credits/usage-export.ts). */
export type ExportPort = ExportLinks;

export interface ChatDeps {
  /** optional second opinion when the deterministic understanding is unsure (an LLM, labels only) */
  intentFallback?: { classify(text: string): Promise<{ intent: Intent; slots: NluResult['slots'] } | null> };
  credits: CreditsPort;
  catalog: CatalogPort;
  requests: RequestPort;
  directory: DirectoryPort;
  exports: ExportPort;
  clock: Clock;
}
