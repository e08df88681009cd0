// Open-loop load at a steady rate: request i is sent at start + i / rate whatever happened to
// the earlier ones (evenly spaced, never a burst), on a keep-alive pool. Latency is measured
// from the request's scheduled time, so a stalled server is charged for the wait it causes
// (no coordinated omission). Reports the offered and the achieved rate.
import http from 'node:http';

const pct = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;

const round = (n) => Math.round(n * 10) / 10;

/** Summary of latencies in milliseconds. */
export function summarize(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(pct(s, 50)),
    p90: round(pct(s, 90)),
    p99: round(pct(s, 99)),
    max: round(s.at(-1) ?? 0),
  };
}

/** One request; resolves with its status (0: network error). */
export function send(agent, base, { method = 'GET', path, headers = {}, body }) {
  return new Promise((resolve) => {
    const url = new URL(path, base);
    const req = http.request(
      {
        agent,
        method,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/**
 * Offer `rate` requests per second for `seconds`, cycling through `requests` (functions
 * returning { method, path, headers, body }).
 */
export async function steady(base, requests, { rate, seconds }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = [];
  let failed = 0;
  let completed = 0;
  const pending = [];
  const start = performance.now() + 20;
  for (let i = 0; i < total; i++) {
    const at = start + i * interval;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    else if (wait > 0) await new Promise((r) => setImmediate(r));
    const req = requests[i % requests.length]();
    pending.push(
      send(agent, base, req).then((status) => {
        latencies.push(performance.now() - at);
        completed++;
        if (status < 200 || status >= 300) failed++;
      }),
    );
  }
  const sentBy = performance.now();
  await Promise.all(pending);
  const end = performance.now();
  agent.destroy();
  return {
    offeredPerSecond: rate,
    sentPerSecond: round(total / ((sentBy - start) / 1000)),
    achievedPerSecond: round(completed / ((end - start) / 1000)),
    failed,
    latencyMs: summarize(latencies),
  };
}

/** Sequential requests, one at a time: the latency of one request on an idle server. */
export async function sequential(base, request, n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ms = [];
  let failed = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const status = await send(agent, base, request(i));
    ms.push(performance.now() - t);
    if (status < 200 || status >= 300) failed++;
  }
  agent.destroy();
  return { failed, latencyMs: summarize(ms) };
}
