import type { Database } from '@plumbline/db';
import type { NextFunction, Request, Response } from 'express';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every write this process serves forgets what the read caches' change feed vouched for, when it
 * starts and when its answer has gone: a client that reads after its own write is answered from
 * the database, never from before the write (the database's notification of the same change may
 * arrive a moment later). Reads are untouched.
 */
export function writeFence(db: Database) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!READS.has(req.method)) {
      db.changes.invalidateAll();
      const done = () => db.changes.invalidateAll();
      res.once('finish', done);
      res.once('close', done);
    }
    next();
  };
}
