/**
 * @jest-environment node
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  cliScanCommand,
  helmInstallCommand,
  HELM_CHART_PATH,
  shellQuote,
  TOKEN_PLACEHOLDER,
} from './install';

const REPO = path.resolve(__dirname, '../../..');

describe('shellQuote', () => {
  it.each([
    ['plb_abc-123', 'plb_abc-123'],
    ['https://x.example/v1/snapshots', 'https://x.example/v1/snapshots'],
    ['two words', `'two words'`],
    [`it's`, `'it'\\''s'`],
    ['$(rm -rf /)', `'$(rm -rf /)'`],
    ['', `''`],
  ])('%s -> %s', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });
});

describe('install commands', () => {
  const input = {
    token: 'plb_secret',
    apiUrl: 'https://plumbline.example.com/',
    clusterName: 'prod eu',
  };

  it('fills the token, cluster name and upload URL into the Helm install', () => {
    const cmd = helmInstallCommand(input);
    expect(cmd).toContain('kubectl create namespace plumbline');
    expect(cmd).toContain(
      'kubectl -n plumbline create secret generic plumbline-scanner-token --from-literal=token=plb_secret',
    );
    expect(cmd).toContain(`helm install plumbline-scanner ${HELM_CHART_PATH}`);
    expect(cmd).toContain(`--set clusterName='prod eu'`);
    expect(cmd).toContain('--set apiUrl=https://plumbline.example.com/v1/snapshots');
  });

  it('uses only values, Secret names and paths the chart really has', () => {
    const values = readFileSync(path.join(REPO, HELM_CHART_PATH, 'values.yaml'), 'utf8');
    const sets = [...helmInstallCommand(input).matchAll(/--set (\w+)=/g)].map((m) => m[1]);
    expect(sets).toEqual(['clusterName', 'apiUrl', 'createNamespace', 'runOnInstall']);
    for (const key of sets) expect(values).toMatch(new RegExp(`^${key}:`, 'm'));
    expect(values).toMatch(/^ {2}name: plumbline-scanner-token$/m);
    expect(values).toMatch(/^ {2}key: token$/m);
    expect(values).toMatch(/^namespace: plumbline$/m);
  });

  it('scans once from a workstation with the token in the environment', () => {
    expect(cliScanCommand(input)).toBe(
      [
        '# in a Plumbline checkout, after npm run demo (or npm run build)',
        'PLUMBLINE_SCANNER_TOKEN=plb_secret \\',
        `  npx --offline plumbline-scanner scan --cluster-name 'prod eu' \\`,
        '  --upload https://plumbline.example.com',
      ].join('\n'),
    );
  });

  it('never lets npx ask the public registry with the token in the environment', () => {
    // Every npx in a command shown with a token is --offline (a missing bin fails, nothing is fetched).
    for (const line of cliScanCommand(input).split('\n'))
      if (/\bnpx\b/.test(line)) expect(line).toMatch(/\bnpx --offline plumbline-scanner\b/);
  });

  it('leaves the placeholder unquoted where the token is not known', () => {
    expect(helmInstallCommand({ ...input, token: TOKEN_PLACEHOLDER })).toContain(
      `--from-literal=token=${TOKEN_PLACEHOLDER}`,
    );
  });
});
