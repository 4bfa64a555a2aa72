/** What the Bolt app's listeners need, passed in by the composition root. */
import type { RequestService } from '../requests/request-service.ts';
import type { Logger } from '../shared/logger.ts';

export interface SlackDeps {
  requests: RequestService;
  approvers: readonly string[];
  logger: Logger;
}
