/** What Slack's jobs need, passed in by the composition root. */
import type { WebClient } from '@slack/web-api';
import type { CreditService } from '../../credits/credit-service.ts';
import type { SideEffects } from '../../jobs/side-effects.ts';
import type { RequestService } from '../../requests/request-service.ts';
import type { Logger } from '../../shared/logger.ts';

export interface SlackJobDeps {
  logger: Logger;
  requests: RequestService;
  credits: CreditService;
  sideEffects: SideEffects;
  /** absent without SLACK_BOT_TOKEN: the jobs then skip (requests are decided on /console) */
  slack?: { client: WebClient; supportChannel?: string | undefined } | undefined;
}
