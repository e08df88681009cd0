import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    name: 'plumbline-worker',
    level,
    base: { service: 'plumbline-worker' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
