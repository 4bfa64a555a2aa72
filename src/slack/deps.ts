/** What the Bolt app's listeners need, passed in by the composition root. */
import type { CreditService } from '../credits/credit-service.ts';
import type { EscalationService } from '../escalations/service.ts';
import type { Db } from '../infra/db.ts';
import type { RequestService } from '../requests/request-service.ts';
import type { Logger } from '../shared/logger.ts';

export interface SlackDeps {
  db: Db;
  credits: CreditService;
  requests: RequestService;
  escalations: EscalationService;
  approvers: readonly string[];
  supportChannel?: string | undefined;
  escalationChannel?: string | undefined;
  /** a signed link through which the customer opens a file a person shared in an escalation thread */
  fileLink(escalationId: string, fileId: string): string;
  /** where people open the console (links in Slack) */
  publicUrl: string;
  logger: Logger;
}
