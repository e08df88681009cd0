import type { NextFunction, Request, Response } from 'express';
import { API_PREFIXES } from './request-context.js';

/**
 * Content-Security-Policy of the web app (and of the PDF report page, which the worker serves
 * with the same policy): scripts, styles, fonts and API calls from this origin only, no inline
 * script, no plugins, no framing, forms post to this origin only. React's `style` props go
 * through the CSSOM, which style-src does not govern, so no 'unsafe-inline' is needed.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** API answers (JSON, exports, metrics) are never documents: they may load and embed nothing. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** One year, as the HSTS preload list asks; only sent on requests that arrived over TLS. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers on every response (web app, API, exports, errors). HSTS only when the request
 * came over TLS: directly, or through a proxy listed in TRUST_PROXY that says so in
 * X-Forwarded-Proto (Express's `req.secure` under the app's `trust proxy` setting).
 */
export function securityHeaders() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const api = API_PREFIXES.some((p) => req.path.startsWith(p));
    res.setHeader('Content-Security-Policy', api ? API_CSP : WEB_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}
