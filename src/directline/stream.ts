/**
 * The WebSocket `streamUrl` of Direct Line 3.0: `<base>/conversations/:id/stream?watermark=&t=<token>`.
 * The token is checked before the upgrade (401 missing or forged, 403 expired or another conversation's).
 * A stream first sends what follows the watermark, then every new activity as `{ activities, watermark }`
 * text frames, in sequence order, once each: it tracks the last seq sent and fills any gap from the database.
 * Keepalive: a ping frame and an empty text frame (as Azure sends) every `keepAliveMs`; a client that does not
 * answer two pings in a row is dropped. A client that reads too slowly is closed (1013) and reconnects from its
 * watermark, so the server never buffers without bound.
 */
import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Hub } from './fanout.ts';
import type { Presence } from './presence.ts';
import type { Store } from './store.ts';
import { isConversationId, type TokenSigner } from './tokens.ts';

const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;

export interface StreamOptions {
  store: Store;
  hub: Hub;
  presence: Presence;
  signer: TokenSigner;
  clock: Clock;
  logger: Logger;
  basePath: string;
  keepAliveMs: number;
  batchSize: number;
}

export interface Streams {
  attach(server: Server): void;
  /** number of open streams in this process */
  count(): number;
  close(): Promise<void>;
}

/** Sequence numbers are 32-bit in PostgreSQL (dl_activity.seq): a larger watermark was never issued. */
export const MAX_WATERMARK = 2_147_483_647;

/** Parses a Direct Line watermark ('' or absent means from the start); null when invalid or out of range. */
export function parseWatermark(raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === '') return 0;
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n <= MAX_WATERMARK ? n : null;
}

function reject(socket: Duplex, status: number, code: string, message: string) {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1_000).unref();
}

class Session {
  lastSent: number;
  alive = true;
  closed = false;
  private started = false;
  private busy = false;
  private needCatchUp = true;
  private pending: Array<{ seq: number; json: string | undefined }> = [];
  private unwatch: (() => void) | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly conversationId: string,
    watermark: number,
    private readonly o: StreamOptions,
  ) {
    this.lastSent = watermark;
  }

  async start(): Promise<void> {
    const unwatch = await this.o.hub.watch(this.conversationId, (seq, json) => this.offer(seq, json));
    if (this.closed) {
      unwatch();
      return;
    }
    this.unwatch = unwatch;
    this.started = true;
    void this.pump();
  }

  offer(seq: number, json: string | undefined) {
    if (this.closed || seq <= this.lastSent) return;
    this.pending.push({ seq, json });
    void this.pump();
  }

  catchUp() {
    this.needCatchUp = true;
    void this.pump();
  }

  stop() {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.unwatch?.();
  }

  private send(jsons: string[], watermark: number): boolean {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN) return false;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.o.logger.info({ conversationId: this.conversationId }, 'direct line stream too slow: closing');
      ws.close(1013, 'Client too slow: reconnect with your watermark');
      this.stop();
      return false;
    }
    ws.send(`{"activities":[${jsons.join(',')}],"watermark":"${watermark}"}`);
    return true;
  }

  /** Reads everything after lastSent from the database and sends it. */
  private async readAndSend(): Promise<void> {
    for (;;) {
      const rows = await this.o.store.readAfter(this.conversationId, this.lastSent, this.o.batchSize);
      if (this.closed) return;
      const last = rows.at(-1);
      if (last) {
        const sent = this.send(
          rows.map((r) => r.json),
          last.seq,
        );
        if (!sent) return;
        this.lastSent = last.seq;
      }
      if (rows.length < this.o.batchSize) return;
    }
  }

  private async pump(): Promise<void> {
    if (this.busy || !this.started || this.closed) return;
    this.busy = true;
    try {
      while (!this.closed) {
        if (this.needCatchUp) {
          this.needCatchUp = false;
          await this.readAndSend();
          this.pending = this.pending.filter((p) => p.seq > this.lastSent);
          continue;
        }
        if (this.pending.length === 0) break;
        this.pending.sort((a, b) => a.seq - b.seq);
        const batch: string[] = [];
        let seq = this.lastSent;
        while (this.pending.length > 0) {
          const p = this.pending[0]!;
          if (p.seq <= seq) {
            this.pending.shift();
          } else if (p.seq === seq + 1 && p.json !== undefined) {
            batch.push(p.json);
            seq = p.seq;
            this.pending.shift();
          } else {
            break;
          }
        }
        if (batch.length > 0) {
          if (!this.send(batch, seq)) break;
          this.lastSent = seq;
        }
        if (this.pending.length > 0) {
          // A gap (published out of order by two processes, or lost) or an activity sent without its JSON.
          const before = this.lastSent;
          await this.readAndSend();
          this.pending = this.pending.filter((p) => p.seq > this.lastSent);
          if (this.lastSent === before && this.pending.length > 0) {
            this.o.logger.warn(
              { conversationId: this.conversationId, seq: this.pending[0]?.seq, lastSent: this.lastSent },
              'direct line stream: announced activity not found; skipping it',
            );
            this.pending.shift();
          }
        }
      }
    } catch (err) {
      this.o.logger.error({ err, conversationId: this.conversationId }, 'direct line stream failed');
      if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1011, 'Stream error: reconnect with your watermark');
      this.stop();
    } finally {
      this.busy = false;
    }
  }
}

export function createStreams(o: StreamOptions): Streams {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  const sessions = new Set<Session>();
  const servers: Server[] = [];
  const prefix = `${o.basePath}/conversations/`;
  let resyncRunning = false;

  o.hub.onResync(() => {
    for (const s of sessions) s.catchUp();
  });

  /** Safety net for lost publishes: one query per tick for all streams of this process. */
  async function resync() {
    if (resyncRunning || sessions.size === 0) return;
    resyncRunning = true;
    try {
      const ids = [...new Set([...sessions].map((s) => s.conversationId))];
      for (let i = 0; i < ids.length; i += 1000) {
        const last = await o.store.lastSeqs(ids.slice(i, i + 1000));
        for (const s of sessions) {
          const seq = last.get(s.conversationId);
          if (seq !== undefined && seq > s.lastSent) s.catchUp();
        }
      }
    } catch (err) {
      o.logger.warn({ err: (err as Error).message }, 'direct line stream resync failed');
    } finally {
      resyncRunning = false;
    }
  }

  const timer = setInterval(() => {
    for (const s of sessions) {
      if (!s.alive) {
        s.ws.terminate();
        continue;
      }
      s.alive = false;
      try {
        s.ws.ping();
        s.ws.send('');
      } catch {
        // closing already
      }
    }
    o.presence.prune();
    void resync();
  }, o.keepAliveMs);
  timer.unref();

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return; // a malformed target is not ours: the app's last upgrade listener refuses it
    }
    if (!url.pathname.startsWith(prefix)) return; // not ours: another upgrade listener may take it
    socket.on('error', () => undefined);
    const m = /^([^/]+)\/stream$/.exec(url.pathname.slice(prefix.length));
    if (!m) return reject(socket, 404, 'not_found', 'Unknown Direct Line stream path.');
    let conversationId: string;
    try {
      conversationId = decodeURIComponent(m[1]!);
    } catch {
      return reject(socket, 400, 'bad_request', 'Malformed conversation id.');
    }
    if (!isConversationId(conversationId)) return reject(socket, 404, 'not_found', 'Unknown conversation.');
    const auth = req.headers.authorization;
    const token =
      url.searchParams.get('t') ?? (auth && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : '');
    if (!token) return reject(socket, 401, 'unauthorized', 'Missing token: open the streamUrl you were given.');
    if (!o.signer.isSecret(token)) {
      const check = o.signer.verify(token, o.clock.now().getTime());
      if (!check.ok) {
        return check.reason === 'expired'
          ? reject(socket, 403, 'forbidden', 'The token has expired (TokenExpired): refresh or generate a new one.')
          : reject(socket, 401, 'unauthorized', 'Invalid token.');
      }
      if (check.claims.cid !== conversationId) {
        return reject(socket, 403, 'forbidden', 'This token does not open that conversation.');
      }
    }
    const watermark = parseWatermark(url.searchParams.get('watermark') ?? undefined);
    if (watermark === null) return reject(socket, 400, 'bad_request', 'watermark must be a number.');

    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, conversationId, watermark, o);
      sessions.add(session);
      o.presence.touch(conversationId);
      const end = () => {
        session.stop();
        sessions.delete(session);
      };
      ws.on('close', end);
      ws.on('error', (err) => {
        o.logger.debug({ err: err.message, conversationId }, 'direct line socket error');
        end();
      });
      ws.on('pong', () => {
        session.alive = true;
        o.presence.touch(conversationId);
      });
      // Clients send empty frames as pings (DirectLineJS every 20 s); nothing else is expected.
      ws.on('message', () => {
        session.alive = true;
        o.presence.touch(conversationId);
      });
      session.start().catch((err: unknown) => {
        o.logger.error({ err, conversationId }, 'direct line stream start failed');
        ws.close(1011, 'Stream error');
        end();
      });
    });
  }

  return {
    attach(server) {
      server.on('upgrade', onUpgrade);
      servers.push(server);
    },
    count: () => sessions.size,
    async close() {
      clearInterval(timer);
      for (const server of servers) server.off('upgrade', onUpgrade);
      for (const s of sessions) {
        s.stop();
        s.ws.close(1001, 'Server shutting down');
      }
      const deadline = Date.now() + 1_000;
      while ([...sessions].some((s) => s.ws.readyState !== WebSocket.CLOSED) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const s of sessions) s.ws.terminate();
      sessions.clear();
      wss.close();
    },
  };
}
