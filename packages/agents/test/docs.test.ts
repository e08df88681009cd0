import { ATTESTATION_CLAIMS, EVIDENCE_KINDS } from '@plumbline/contracts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CRITERIA, PRINCIPLES } from '../src/index.js';

/** docs/methodology/accountability.md documents every criterion, principle and upload. */

const doc = readFileSync(
  path.resolve(__dirname, '../../../docs/methodology/accountability.md'),
  'utf8',
);
const row = (id: string) =>
  doc.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${id}\``));

describe('docs/methodology/accountability.md', () => {
  it.each(CRITERIA.map((c) => [c.id, c]))(
    'documents %s at its level, with its ASI code',
    (id, c) => {
      const line = row(id);
      expect(line).toBeDefined();
      expect(line!.startsWith(`| ${c.level} |`)).toBe(true);
      expect(line).toContain(c.asi);
    },
  );

  it('names the upload or scan signal that proves every Level 3 and 4 criterion', () => {
    for (const c of CRITERIA.filter((x) => x.level >= 3)) {
      const evidence = row(c.id)!.split('|')[4]!;
      expect([c.id, /\b(upload|uploads|scan)\b/.test(evidence)]).toEqual([c.id, true]);
      expect([
        c.id,
        /\b(upload|uploads|scan)\b/.test(c.proof) || /^attestation/.test(c.proof),
      ]).toEqual([c.id, true]);
    }
  });

  it.each(PRINCIPLES.map((p) => [p.id, p]))('documents principle %s and its cap', (id, p) => {
    const line = row(id)!;
    expect(line.startsWith(`| ${p.number} |`)).toBe(true);
    expect(line).toContain(`<= ${p.capLevel}`);
  });

  it('documents every upload kind and attestation claim', () => {
    for (const k of [...EVIDENCE_KINDS, ...ATTESTATION_CLAIMS]) expect(doc).toContain(`\`${k}\``);
  });
});

describe('what counts and what does not (issue 18 item 3)', () => {
  const withLookAlikes = CRITERIA.filter((c) => c.doesNotCount);
  it('the criteria that were passed by look-alikes state them', () => {
    expect(withLookAlikes.map((c) => c.id).sort()).toEqual(
      expect.arrayContaining([
        'identity.exposed-power',
        'identity.pinned',
        'identity.registered',
        'identity.token-automount',
        'identity.workload-identity',
        'trace.exporter',
      ]),
    );
  });
  it.each(withLookAlikes.map((c) => [c.id]))('%s has "Does not count" in its row', (id) => {
    expect(row(id)).toMatch(/\*\*Does not count\*\*/);
  });
  it('defines registration as a list of accepted signals', () => {
    const section = doc.split('## What counts as registered')[1]?.split('\n## ')[0] ?? '';
    for (const signal of ['plumbline.io/agent', 'AgentRegistration', 'A2A agent card', 'kagent'])
      expect(section).toContain(signal);
  });
});
