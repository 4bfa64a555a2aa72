/**
 * HTTP exactly as written, for hostile-input tests: the path is sent as given (fetch would normalise `..` and
 * re-encode `%`), any header, any body bytes, and a deadline: a request that is neither answered nor closed in
 * time is a hang, reported as such.
 */
import http from 'node:http';
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

export class HangError extends Error {}

export function rawRequest(
  base: string,
  req: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
  timeoutMs = 5_000,
): Promise<RawResponse> {
  const url = new URL(base);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: url.hostname,
        port: Number(url.port),
        method: req.method,
        path: req.path,
        headers: {
          ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
          ...req.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: Date.now() - started,
          });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    const timer = setTimeout(() => {
      r.destroy();
      reject(new HangError(`${req.method} ${req.path} got no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    r.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/**
 * An upgrade request over a raw socket, target and headers exactly as given. Resolves with the status the server
 * answered and, for a refusal, when the server closed the socket; a 101 is closed by us at once.
 */
export function rawUpgrade(
  base: string,
  target: string,
  headers: Record<string, string> = {},
  timeoutMs = 5_000,
): Promise<{ status: number; response: string; closedAfterMs: number }> {
  const url = new URL(base);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let response = '';
    let status = 0;
    const socket = net.connect(Number(url.port), url.hostname, () => {
      const lines = {
        Host: url.host,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        ...headers,
      };
      socket.write(
        `GET ${target} HTTP/1.1\r\n${Object.entries(lines)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n`,
      );
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new HangError(
          `upgrade ${target}: no answer and not closed within ${timeoutMs} ms (${JSON.stringify(response.slice(0, 80))})`,
        ),
      );
    }, timeoutMs);
    socket.on('data', (d: Buffer) => {
      response += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(response);
      if (m && !status) {
        status = Number(m[1]);
        if (status === 101) socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status, response, closedAfterMs: Date.now() - started });
    });
  });
}
