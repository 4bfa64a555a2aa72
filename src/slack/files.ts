/**
 * Files a person shares in an escalation thread reach the customer as links to this server, which fetches them
 * from Slack with the bot token (the customer has no Slack login): GET /slack-files/:escalationId/:fileId, signed
 * and expiring (see shared/signed-links.ts). Nothing else of Slack is reachable through it.
 */
import { Readable } from 'node:stream';
import type { WebClient } from '@slack/web-api';
import express, { type Router } from 'express';
import { AppError } from '../shared/errors.ts';
import type { LinkSigner } from '../shared/signed-links.ts';

const MAX_BYTES = 25 * 1024 * 1024;
/** How long a file link shown to the customer works. */
export const FILE_LINK_TTL_SECONDS = 30 * 86_400;

export const slackFilePath = (escalationId: string, fileId: string) =>
  `/slack-files/${encodeURIComponent(escalationId)}/${encodeURIComponent(fileId)}`;

export function createSlackFilesRouter(deps: { client: WebClient; token: string; signer: LinkSigner }): Router {
  const r = express.Router();
  r.get('/slack-files/:escalationId/:fileId', async (req, res) => {
    const { escalationId, fileId } = req.params;
    if (!/^[0-9a-f-]{36}$/i.test(escalationId) || !/^F[A-Z0-9]{2,30}$/.test(fileId)) {
      throw new AppError('not_found', 'No such file.');
    }
    const check = deps.signer.verify(slackFilePath(escalationId, fileId), req.query.exp, req.query.sig);
    if (check === 'expired') throw new AppError('forbidden', 'This link has expired: ask for the file again.');
    if (check !== 'ok') throw new AppError('forbidden', 'This link is not valid.');
    const info = await deps.client.files.info({ file: fileId }).catch(() => null);
    const file = info?.file;
    const url = file?.url_private_download ?? file?.url_private;
    if (!file || !url) throw new AppError('not_found', 'The file is no longer available.');
    if ((file.size ?? 0) > MAX_BYTES)
      throw new AppError('payload_too_large', 'The file is too large to download here.');
    const upstream = await fetch(url, {
      headers: { authorization: `Bearer ${deps.token}` },
      signal: AbortSignal.timeout(20_000),
    }).catch(() => null);
    if (!upstream?.ok || !upstream.body)
      throw new AppError('unavailable', 'Slack did not hand over the file; try again.');
    const name = (file.name ?? 'file').replace(/[^\w.\- ]+/g, '_').slice(0, 120) || 'file';
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('content-disposition', `attachment; filename="${name}"`);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'private, no-store');
    Readable.fromWeb(upstream.body as never).pipe(res);
  });
  return r;
}
