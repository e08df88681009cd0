import { StreamableFile } from '@nestjs/common';
import type { Response } from 'express';

/** Answer with a file to download: its type, its name, and its bytes (or text). */
export function attachment(
  res: Response,
  file: { contentType: string; filename: string },
  body: Uint8Array,
): StreamableFile;
export function attachment(
  res: Response,
  file: { contentType: string; filename: string },
  body: string,
): string;
export function attachment(
  res: Response,
  file: { contentType: string; filename: string },
  body: Uint8Array | string,
): StreamableFile | string {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
  return typeof body === 'string' ? body : new StreamableFile(Buffer.from(body));
}
