/** The chat's view of requests, over the request service. */
import type { RequestService, RequestView } from '../requests/request-service.ts';
import type { RequestPort, RequestSummary } from './ports.ts';

export const summarize = (r: RequestView): RequestSummary => ({
  id: r.id,
  reference: r.reference,
  kind: r.kind,
  status: r.status,
  credits: r.credits,
  targetPlanName: r.targetPlanName,
  price: r.price,
  createdAt: r.createdAt,
  decidedAt: r.decidedAt,
  decidedBy: r.deciderId && r.deciderId === r.managerSlackUserId && r.managerName ? r.managerName : r.decidedBy,
  reason: r.reason,
  effective: r.effective,
});

export function createRequestPort(requests: RequestService): RequestPort {
  return {
    async create(who, req) {
      const { request, created } = await requests.create(
        { accountId: who.accountId, userId: who.userId, conversationId: who.conversationId },
        req,
      );
      return { request: summarize(request), managerName: request.managerName, created };
    },
    async list(accountId) {
      return (await requests.list({ accountId, limit: 20 })).map(summarize);
    },
    async cancel(who, requestId) {
      return summarize(
        await requests.cancel(
          { accountId: who.accountId, userId: who.userId, conversationId: who.conversationId },
          requestId,
        ),
      );
    },
  };
}
