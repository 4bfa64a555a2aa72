/** What Slack's jobs need, passed in by the composition root. */
import type { WebClient } from '@slack/web-api';
import type { CreditService } from '../../credits/credit-service.ts';
import type { EscalationService } from '../../escalations/service.ts';
import type { Db } from '../../infra/db.ts';
import type { SideEffects } from '../../jobs/side-effects.ts';
import type { RequestService } from '../../requests/request-service.ts';
import type { Logger } from '../../shared/logger.ts';

export interface SlackJobDeps {
  db: Db;
  logger: Logger;
  escalations: EscalationService;
  /** where people open the console (links in Slack) */
  publicUrl: string;
  requests: RequestService;
  credits: CreditService;
  sideEffects: SideEffects;
  /** absent without SLACK_BOT_TOKEN: the jobs then skip (requests are decided on /console) */
  slack?:
    | { client: WebClient; supportChannel?: string | undefined; escalationChannel?: string | undefined }
    | undefined;
}
