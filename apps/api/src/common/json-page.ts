import { StreamableFile } from '@nestjs/common';
import type { JsonPage } from '@plumbline/read-models';
import type { Request, Response } from 'express';

/** Below about one packet gzip saves nothing worth its header. */
const GZIP_MIN_CHARS = 1400;

/**
 * Answer with a prepared JSON page: its entity tag (a client holding the same text gets 304 Not
 * Modified; `private, no-cache`: a browser keeps it for this user and asks each time), and its
 * gzip form, made once per page, when the client says it accepts gzip (browsers always do).
 * Use from a handler with `@Res({ passthrough: true })`.
 */
export function sendPage(req: Request, res: Response, page: JsonPage): string | StreamableFile {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('ETag', page.etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.vary('Accept-Encoding');
  // Express answers 304 itself when the request is fresh (res.send of the text).
  const gzip =
    !req.fresh &&
    page.json.length >= GZIP_MIN_CHARS &&
    req.headers['accept-encoding'] !== undefined &&
    req.acceptsEncodings('gzip', 'identity') === 'gzip';
  if (!gzip) return page.json;
  const body = page.gzip();
  res.setHeader('Content-Encoding', 'gzip');
  return new StreamableFile(body, { type: 'application/json; charset=utf-8', length: body.length });
}
