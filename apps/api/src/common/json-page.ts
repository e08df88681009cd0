import type { JsonPage } from '@plumbline/read-models';
import type { Request, Response } from 'express';

/** Below about one packet gzip saves nothing worth its header. */
const GZIP_MIN_CHARS = 1400;

/**
 * Answer with a prepared JSON page: its entity tag (a client holding the same text gets 304 Not
 * Modified; `private, no-cache`: a browser keeps it for this user and asks each time), and its
 * gzip form, made once per page, when the client says it accepts gzip (browsers always do).
 * Headers and body leave in one write (no stream piped per answer). Use from a handler that
 * takes `@Res()` and returns nothing: everything before it may still throw a domain error.
 */
export function sendPage(req: Request, res: Response, page: JsonPage): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('ETag', page.etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.vary('Accept-Encoding');
  // Express answers 304 itself when the request is fresh (res.send checks the ETag).
  const gzip =
    !req.fresh &&
    page.json.length >= GZIP_MIN_CHARS &&
    req.headers['accept-encoding'] !== undefined &&
    req.acceptsEncodings('gzip', 'identity') === 'gzip';
  if (!gzip) {
    res.send(page.json);
    return;
  }
  res.setHeader('Content-Encoding', 'gzip');
  res.send(page.gzip());
}
