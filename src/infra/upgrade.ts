/**
 * Upgrade requests (WebSocket handshakes, or any other `Upgrade:` header) on paths that no upgrade handler
 * serves. Node hands an upgrade to the server's 'upgrade' listeners and never to Express, so without this one
 * such a request is neither answered nor closed: its socket (a file descriptor) stays open until the client
 * gives up. Here it gets an HTTP error with `Connection: close` at once, and the socket is destroyed soon after.
 */
import { type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** How long a refused socket may take to drain the error response before it is destroyed. */
const DRAIN_MS = 1_000;

/** Answers an upgrade request with `status` and a JSON error body, then closes its socket. */
export function refuseUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  socket.on('error', () => undefined);
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
        'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  setTimeout(() => socket.destroy(), DRAIN_MS).unref();
}

/** The path of an upgrade request, or null when its target cannot be parsed. */
export function upgradePath(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}

/**
 * Registers the server's last 'upgrade' listener: every upgrade whose path `claimed` does not recognise (the
 * listeners registered before it serve those) is refused with 404, or 400 when its target is malformed.
 */
export function refuseOtherUpgrades(server: Server, claimed: (pathname: string) => boolean): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const path = upgradePath(req);
    if (path !== null && claimed(path)) return;
    if (path === null) refuseUpgrade(socket, 400, 'bad_request', 'Malformed request target.');
    else refuseUpgrade(socket, 404, 'not_found', 'No WebSocket endpoint here: only Direct Line streams upgrade.');
  });
}
