import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * A read served as prepared JSON text: built and serialised once for what it was computed from,
 * then sent as is on every read while that holds. Its entity tag is the hash of the text (so a
 * client that has it is answered 304), and its gzip form is made once, on first request.
 */
export class JsonPage {
  readonly etag: string;
  private zipped: Buffer | null = null;

  constructor(readonly json: string) {
    this.etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`;
  }

  /** The text gzipped (made on first use, then kept with the page). */
  gzip(): Buffer {
    this.zipped ??= gzipSync(this.json);
    return this.zipped;
  }
}
