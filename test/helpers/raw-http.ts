/**
 * HTTP exactly as written, for hostile-input tests: the path is sent as given (fetch would normalise `..` and
 * re-encode `%`), any header, any body bytes, and a deadline: a request that is neither answered nor closed in
 * time is a hang, reported as such.
 */
import http from 'node:http';

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
