/**
 * How the CLI talks: a readable summary when stderr is a terminal, JSON log lines otherwise
 * (for CronJobs and CI). Data (snapshots, dry-run reports) goes to stdout or --out only.
 */
export interface Reporter {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createReporter(
  stream: NodeJS.WriteStream = process.stderr,
  tty: boolean = stream.isTTY === true,
): Reporter {
  const write = (level: string, msg: string, fields: Record<string, unknown> = {}) => {
    if (tty) {
      const extra = Object.entries(fields)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      stream.write(`${level === 'info' ? '' : `${level}: `}${msg}${extra ? `  (${extra})` : ''}\n`);
    } else {
      stream.write(
        JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n',
      );
    }
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
