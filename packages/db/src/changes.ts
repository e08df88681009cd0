import pg from 'pg';

/** The channel the read-stamp triggers notify on; the payload is the organisation's id. */
export const ORG_CHANGED_CHANNEL = 'plumbline_org_changed';

/** Minimal structured logger (pino satisfies it). */
export interface ChangeFeedLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * Which organisations' read data changed, as PostgreSQL says it (LISTEN on the channel the
 * triggers of migration `read_change_feed` notify on, at commit, whoever wrote: this process, a
 * worker, another API replica). A per-process read cache stores, with each entry, the `version`
 * it read before validating that entry; while the version is unchanged the entry is served
 * without asking the database again.
 *
 * `version` is null (vouch for nothing: every read asks the database, as without a feed) until
 * the listening connection is up, and whenever it is lost; every (re)connection starts a new
 * epoch, so no version minted before a gap matches after it (a change made during the gap was
 * never notified). `invalidateAll` starts a new epoch too: the API calls it around each write it
 * serves, so a client reading after its own write never waits on the notification's delivery.
 */
export class ChangeFeed {
  private client: pg.Client | null = null;
  private listening = false;
  private stopped = true;
  private epoch = 0;
  private readonly generations = new Map<string, number>();
  private retryMs = RETRY_FIRST_MS;
  private retry: NodeJS.Timeout | null = null;
  private notified = 0;
  private warned = false;

  private log: ChangeFeedLogger | undefined;

  constructor(private readonly databaseUrl: string) {}

  /** Start listening (reconnects by itself until `stop`). Resolves once the first attempt ends. */
  async start(log?: ChangeFeedLogger): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.log = log;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.lost();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Whether reads may currently be served from a cache checked against this feed. */
  get live(): boolean {
    return this.listening;
  }

  /** Notifications received since start (tests and metrics). */
  get received(): number {
    return this.notified;
  }

  /**
   * The organisation's read version now, or null when the feed cannot vouch for it. Equal
   * versions mean no change to the organisation was committed in between.
   */
  version(organizationId: string): string | null {
    if (!this.listening) return null;
    return `${this.epoch}.${this.generations.get(organizationId) ?? 0}`;
  }

  /** Forget every version handed out (a write is being served by this process). */
  invalidateAll(): void {
    this.epoch++;
  }

  private changed(organizationId: string): void {
    this.notified++;
    this.generations.set(organizationId, (this.generations.get(organizationId) ?? 0) + 1);
  }

  private lost(): void {
    this.listening = false;
    this.epoch++;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      connectionTimeoutMillis: 5_000,
    });
    this.client = client;
    const drop = (err?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      this.lost();
      client.end().catch(() => undefined);
      if (this.stopped) return;
      // Said once per outage (`warned` is cleared whenever the feed listens), not per retry.
      if (!this.warned) {
        this.warned = true;
        this.log?.warn(
          { err: err?.message ?? 'connection ended' },
          'change feed not listening; reads ask the database until it is back',
        );
      }
      this.schedule();
    };
    client.on('error', drop);
    client.on('end', () => drop());
    client.on('notification', (n) => {
      if (n.channel === ORG_CHANGED_CHANNEL && n.payload) this.changed(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ORG_CHANGED_CHANNEL}`);
      if (this.client !== client) return;
      // A new epoch: whatever was committed before LISTEN took effect was not notified.
      this.epoch++;
      this.generations.clear();
      this.listening = true;
      this.retryMs = RETRY_FIRST_MS;
      this.warned = false;
      this.log?.info({}, 'change feed listening');
    } catch (e) {
      drop(e as Error);
    }
  }

  private schedule(): void {
    if (this.retry || this.stopped) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, wait);
    this.retry.unref();
  }
}
