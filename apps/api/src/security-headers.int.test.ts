import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { createTestDatabase, type TestDatabase } from '@plumbline/db';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { chromium } from 'playwright-core';
import request from 'supertest';
import { signup } from '../test/helpers.js';
import { createApp } from './app.js';
import { API_CSP, HSTS, WEB_CSP } from './common/security-headers.js';

/**
 * Security headers (issue 17.13) on every kind of answer: the web app's HTML and assets, API
 * JSON, errors, exports and metrics; HSTS only over TLS, and X-Forwarded-Proto believed only from
 * TRUST_PROXY. The built web app must work under its CSP: no inline script in its pages, and
 * real Chromium loading the sign-in screen reports no CSP violation.
 */
const WEB_DIST = resolve(__dirname, '../../web/dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const silent = pino({ level: 'silent' });

const COMMON = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

describe('security headers (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let app: INestApplication;
  let proxied: INestApplication;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST, 'index.html')))
      throw new Error(`build the web app first: ${WEB_DIST}/index.html is missing`);
    tdb = await createTestDatabase('headers');
    const env = (extra: Record<string, string>) =>
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        LOG_LEVEL: 'silent',
        WEB_DIST_DIR: WEB_DIST,
        METRICS_TOKEN: 'metrics-token-for-the-headers-test',
        ...extra,
      });
    app = await createApp(env({}), silent);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    proxied = await createApp(env({ TRUST_PROXY: '127.0.0.1/32' }), silent);
    await proxied.init();
  });

  afterAll(async () => {
    await app?.close();
    await proxied?.close();
    await tdb?.drop();
  });

  it('the web app (page, client route, asset) gets the web CSP and the common headers', async () => {
    const page = await request(url).get('/');
    const route = await request(url).get('/signin');
    const html = page.text;
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await request(url).get(asset!);
    for (const r of [page, route, js]) {
      expect(r.status).toBe(200);
      expect(r.headers).toMatchObject({ ...COMMON, 'content-security-policy': WEB_CSP });
      expect(r.headers['strict-transport-security']).toBeUndefined();
    }
    expect(WEB_CSP).toMatch(/script-src 'self'(;|$)/);
    expect(WEB_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(WEB_CSP).toMatch(/frame-ancestors 'none'/);
  });

  it.each(['index.html', 'report.html'])(
    'the built %s has no inline script or event handler attribute (the CSP would block them)',
    (file) => {
      const html = readFileSync(join(WEB_DIST, file), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(attrs).toMatch(/\bsrc="/);
        expect(body!.trim()).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/javascript:/i);
    },
  );

  it('API answers (JSON, errors, health, metrics, exports) get the API CSP and the common headers', async () => {
    const s = await signup(app, 'owner@headers.test', 'Headers Inc');
    const answers = await Promise.all([
      request(url).get('/healthz'),
      request(url).get('/v1/me'),
      request(url).get('/v1/no-such-route'),
      request(url)
        .get('/metrics')
        .set('Authorization', 'Bearer metrics-token-for-the-headers-test'),
      request(url).get(`/v1/orgs/${s.orgId}`).set('Cookie', s.cookie),
      request(url).get(`/v1/orgs/${s.orgId}/export`).set('Cookie', s.cookie),
      request(url).post('/v1/auth/login').send({ email: 'owner@headers.test', password: 'x' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404, 200, 200, 200, 401]);
    expect(answers[5]!.headers['content-disposition']).toMatch(/^attachment/);
    for (const r of answers)
      expect(r.headers).toMatchObject({ ...COMMON, 'content-security-policy': API_CSP });
  });

  it('HSTS only over TLS: X-Forwarded-Proto counts only from a TRUST_PROXY address', async () => {
    const direct = await request(url).get('/healthz').set('X-Forwarded-Proto', 'https');
    expect(direct.headers['strict-transport-security']).toBeUndefined();
    const viaProxy = await request(proxied.getHttpServer())
      .get('/healthz')
      .set('X-Forwarded-Proto', 'https');
    expect(viaProxy.headers['strict-transport-security']).toBe(HSTS);
    const plainViaProxy = await request(proxied.getHttpServer())
      .get('/healthz')
      .set('X-Forwarded-Proto', 'http');
    expect(plainViaProxy.headers['strict-transport-security']).toBeUndefined();
  });

  it('real Chromium runs the web app under its CSP: the sign-in screen draws, no violation', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      page.on('pageerror', (e) => violations.push(e.message));
      await page.goto(`${url}/signin`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 20_000 });
      // An inline script injected into the page is refused: the policy is in force.
      await page.evaluate(
        "document.body.appendChild(Object.assign(document.createElement('script'), { textContent: 'window.__inlineRan = true' }))",
      );
      expect(await page.evaluate("'__inlineRan' in window")).toBe(false);
      expect(violations.filter((v) => !/inline script/i.test(v))).toEqual([]);
      expect(violations.some((v) => /inline script/i.test(v))).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
