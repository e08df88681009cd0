/**
 * Live mode and --upload at the CLI level: option checks, the token from a file or the
 * environment (never logged), upload retries, and exit codes. Live collection itself is tested
 * against the API simulator in packages/collector.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Reporter } from './output.js';
import { EXIT, runScan, type ScanIo } from './scan.js';

const TOKEN = 'plb_FAKEscannerTOKEN00000000000042';

function manifests(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-cli-live-'));
  writeFileSync(
    join(dir, 'app.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx:1.27 }] }
`,
  );
  return dir;
}

function io(env: Record<string, string> = {}): ScanIo & { out: string[]; logs: string[] } {
  const logs: string[] = [];
  const out: string[] = [];
  const reporter: Reporter = {
    info: (m, f) => logs.push(`info ${m} ${JSON.stringify(f ?? {})}`),
    warn: (m, f) => logs.push(`warn ${m} ${JSON.stringify(f ?? {})}`),
    error: (m, f) => logs.push(`error ${m} ${JSON.stringify(f ?? {})}`),
  };
  return {
    reporter,
    stdout: (t) => out.push(t),
    scanner: { name: 'plumbline-scanner', version: 'test' },
    env,
    home: mkdtempSync(join(tmpdir(), 'plumbline-home-')),
    sleep: async () => undefined,
    out,
    logs,
  };
}

async function ingest(script: number[]) {
  const received: { path: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const status = script[Math.min(received.length - 1, script.length - 1)]!;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          status < 300
            ? { scanId: 'scan-9', clusterId: 'c-1', status: 'queued', duplicate: status === 200 }
            : { error: { code: 'unavailable', message: 'try later' } },
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('scan: live-mode options', () => {
  it.each([
    [{}, EXIT.usage, /--upload URL, or --analyze; or use --from-dir DIR/],
    [{ out: '-' }, EXIT.usage, /no cluster to scan: no kubeconfig/],
    [{ out: '-', kubeconfig: '/nonexistent/kubeconfig' }, EXIT.input, /cannot read --kubeconfig/],
    [{ out: '-', nodeCount: '3' }, EXIT.usage, /--node-count only applies to --from-dir/],
    [{ out: '-', pageSize: '0' }, EXIT.usage, /--page-size must be a number from 1/],
    [{ out: '-', pageSize: '2.5' }, EXIT.usage, /--page-size must be a whole number/],
    [{ out: '-', qps: 'fast' }, EXIT.usage, /--qps must be a number/],
    [{ out: '-', burst: '0' }, EXIT.usage, /--burst must be a number from 1/],
    [{ out: '-', inCluster: true, context: 'x' }, EXIT.usage, /--in-cluster uses the pod/],
    [{ fromDir: '.', out: '-', kubeconfig: 'x' }, EXIT.usage, /only apply to live collection/],
    [{ fromDir: '.', upload: 'http://x' }, EXIT.usage, /needs a scanner token/],
    [{ fromDir: '.', upload: 'ftp://x', tokenFile: 'x' }, EXIT.usage, /must be an http\(s\) URL/],
    [{ fromDir: '.', out: '-', tokenFile: 'x' }, EXIT.usage, /only applies with --upload/],
    [{ fromDir: '.', dryRun: true, upload: 'http://x' }, EXIT.usage, /--dry-run sends nothing/],
  ])('refuses %j', (opts, code, message) => {
    const x = io();
    expect(runScan(opts, x)).toBe(code);
    expect(x.logs.join('\n')).toMatch(message);
  });

  it('--in-cluster outside a pod exits 5 and says so', async () => {
    const x = io();
    expect(await runScan({ inCluster: true, out: '-' }, x)).toBe(EXIT.cluster);
    expect(x.logs.join('\n')).toMatch(/not running in a pod/);
  });

  it('an unreachable cluster exits 5 and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-kc-'));
    const file = join(dir, 'config');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters: [{ name: gone, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: u, user: { token: ${TOKEN} } }]
contexts: [{ name: gone, context: { cluster: gone, user: u } }]
current-context: gone
`,
    );
    const x = io();
    const code = await runScan({ kubeconfig: file, out: join(dir, 'out.json'), qps: '0' }, x);
    expect(code).toBe(EXIT.cluster);
    expect(x.logs.join('\n')).toMatch(/error cannot scan the cluster: .*ECONNREFUSED/);
    expect(x.logs.join('\n')).not.toContain(TOKEN);
  }, 60_000);
});

describe('scan --upload', () => {
  it('uploads gzip with the token from --token-file and logs the scan, never the token', async () => {
    const server = await ingest([503, 202]);
    const dir = manifests();
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const x = io();
    try {
      const code = await runScan(
        { fromDir: dir, upload: server.base, tokenFile, collectedAt: '2026-11-26T00:00:00Z' },
        x,
      );
      expect(code).toBe(EXIT.ok);
      expect(server.received).toHaveLength(2);
      const req = server.received[1]!;
      expect(req.path).toBe('/v1/snapshots');
      expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(req.headers['content-encoding']).toBe('gzip');
      const snapshot = JSON.parse(gunzipSync(req.body).toString('utf8')) as {
        workloads: { name: string }[];
      };
      expect(snapshot.workloads.map((w) => w.name)).toEqual(['web']);
      const logs = x.logs.join('\n');
      expect(logs).toMatch(/uploaded as scan scan-9/);
      expect(logs).toMatch(/retrying/);
      expect(logs).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it('takes the token from PLUMBLINE_SCANNER_TOKEN and exits 6 when the upload fails', async () => {
    const server = await ingest([503]);
    const x = io({ PLUMBLINE_SCANNER_TOKEN: TOKEN });
    try {
      const code = await runScan(
        { fromDir: manifests(), upload: `${server.base}/v1/snapshots` },
        x,
      );
      expect(code).toBe(EXIT.upload);
      expect(server.received).toHaveLength(5);
      expect(server.received[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(x.logs.join('\n')).toMatch(/failed after 5 attempts: 503 unavailable: try later/);
      expect(x.logs.join('\n')).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });
});
