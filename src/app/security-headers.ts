/**
 * Security headers (helmet) for the pages a browser opens: the support console and the demo View Usage page.
 * Both work offline: every script, style, font and image comes from this server, so the Content-Security-Policy
 * names no other origin. Inline styles stay allowed (Web Chat and the queue board set styles from script);
 * inline scripts do not.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const base = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"], // fetch, and Direct Line's WebSocket on the same host
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'data:', 'blob:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  workerSrc: ["'self'", 'blob:'],
  // TLS ends at the proxy in front; the local http:// setup must keep working.
  upgradeInsecureRequests: null,
};

/** The console (and its queue board): never framed, no referrer. */
export const consoleSecurityHeaders: RequestHandler = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { ...base, frameAncestors: ["'none'"] } },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
});

/** The demo page, its static files, its API and the vendored Web Chat. Framed by its own origin at most. */
export const pageSecurityHeaders: RequestHandler = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { ...base, frameAncestors: ["'self'"] } },
  frameguard: { action: 'sameorigin' },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
});
