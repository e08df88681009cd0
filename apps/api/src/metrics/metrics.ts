import { createJobMetrics, type JobObserver } from '@plumbline/jobs';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Request durations: 5 ms health checks up to minute-long snapshot uploads. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The API's Prometheus registry (one per app instance, so tests can run several apps):
 * process and Node.js defaults, plumbline_http_request_duration_seconds{method,route,status},
 * the queue depth (registered by the module with its queue) and, when the API runs jobs
 * in-process, the job metrics.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private jobs: JobObserver | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.http = new Histogram({
      name: 'plumbline_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template (never the raw path) and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: HTTP_BUCKETS,
      registers: [this.registry],
    });
  }

  /** Job metrics, created on first use (only when this process runs jobs). */
  jobObserver(): JobObserver {
    this.jobs ??= createJobMetrics(this.registry);
    return this.jobs;
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }
}

/** Known methods only, so a client cannot mint label values. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}
