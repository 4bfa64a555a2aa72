/** What the Bolt app's listeners need, passed in by the composition root. */
import type { EscalationService } from '../escalations/service.ts';
import type { RequestService } from '../requests/request-service.ts';
import type { Logger } from '../shared/logger.ts';

export interface SlackDeps {
  requests: RequestService;
  escalations: EscalationService;
  approvers: readonly string[];
  supportChannel?: string | undefined;
  escalationChannel?: string | undefined;
  /** a signed link through which the customer opens a file a person shared in an escalation thread */
  fileLink(escalationId: string, fileId: string): string;
  logger: Logger;
}
