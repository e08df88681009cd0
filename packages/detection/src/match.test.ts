import fc from 'fast-check';
import { snapshotFromSpec } from './fixture.js';
import { matchRule, workloadPrefilter } from './match.js';
import type { ComponentRule, FixtureSpec, ObjectSignal } from './rule.js';

/**
 * Object signals read a list through an index of its objects by API group (built once per
 * detection run). Whatever the index, the evidence must be what a filter over the whole list
 * gives: the same objects, in list order, once each, including when the signal's group pattern
 * matches several groups whose objects are interleaved in the list.
 */

const GROUPS = ['', 'v1', 'a.example.io/v1', 'b.example.io/v1beta1', 'ab.example.io/v1', 'c.io/v2'];
const KINDS = ['Thing', 'Other', 'ThingList'];

const groupOf = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.split('/')[0]! : 'core';

/** The reference: every object of the list, in order, filtered as the signal says. */
function expected(spec: FixtureSpec, signal: Extract<ObjectSignal, { group: RegExp }>): string[] {
  const refs: string[] = [];
  for (const o of spec.objects ?? []) {
    if (o.list !== signal.list) continue;
    if (!signal.group.test(groupOf(o.apiVersion))) continue;
    if (signal.kind && !signal.kind.test(o.kind)) continue;
    if (signal.name && !signal.name.test(o.name)) continue;
    const ref = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
    if (!refs.includes(ref)) refs.push(ref);
  }
  return refs;
}

function rule(signal: ObjectSignal): ComponentRule {
  return {
    id: 'kyverno',
    name: 'Test rule',
    category: 'policy',
    objects: [signal],
    objectsMeanInstalled: true,
    fixtures: { pass: [], fail: [] },
  } as unknown as ComponentRule;
}

const objectArb = fc.record({
  list: fc.constantFrom('customResources' as const, 'policyObjects' as const),
  apiVersion: fc.constantFrom(...GROUPS),
  kind: fc.constantFrom(...KINDS),
  name: fc.constantFrom('one', 'two', 'three', 'four'),
  namespace: fc.option(fc.constantFrom('ns-a', 'ns-b'), { nil: undefined }),
});

const signalArb = fc.record({
  list: fc.constantFrom('customResources' as const, 'policyObjects' as const),
  group: fc.constantFrom(
    /^a\.example\.io$/,
    /example\.io$/,
    /^(core|c\.io)$/,
    /a/,
    /^nothing$/,
    /./,
  ),
  kind: fc.option(fc.constantFrom(/^Thing$/, /Thing/), { nil: undefined }),
  name: fc.option(fc.constantFrom(/^t/, /o/), { nil: undefined }),
});

describe('object signals by API group', () => {
  it('find what a filter over the whole list finds, in list order (with and without a run prefilter)', () => {
    fc.assert(
      fc.property(fc.array(objectArb, { maxLength: 30 }), signalArb, (objects, signal) => {
        const spec: FixtureSpec = { objects };
        const snapshot = snapshotFromSpec(spec);
        const want = expected(spec, signal);
        const r = rule(signal);
        const alone = matchRule(r, snapshot);
        const pre = workloadPrefilter(snapshot.workloads, [r]);
        const inRun = matchRule(r, snapshot, pre);
        // The same prefilter read twice (its group index is then built): the same answer.
        const again = matchRule(r, snapshot, pre);
        for (const found of [alone, inRun, again]) {
          if (!want.length) expect(found).toBeNull();
          else expect(found?.evidence.map((e) => e.ref)).toEqual(want);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a group pattern matching two interleaved groups keeps list order', () => {
    const spec: FixtureSpec = {
      objects: [
        { list: 'customResources', apiVersion: 'b.example.io/v1', kind: 'Thing', name: 'first' },
        { list: 'customResources', apiVersion: 'a.example.io/v1', kind: 'Thing', name: 'second' },
        { list: 'customResources', apiVersion: 'b.example.io/v1', kind: 'Thing', name: 'third' },
        { list: 'customResources', apiVersion: 'other.io/v1', kind: 'Thing', name: 'skipped' },
        { list: 'customResources', apiVersion: 'a.example.io/v1', kind: 'Thing', name: 'fourth' },
      ],
    };
    const snapshot = snapshotFromSpec(spec);
    const r = rule({ list: 'customResources', group: /example\.io$/ });
    const found = matchRule(r, snapshot, workloadPrefilter(snapshot.workloads, [r]));
    expect(found?.evidence.map((e) => e.ref)).toEqual([
      'Thing first',
      'Thing second',
      'Thing third',
      'Thing fourth',
    ]);
  });
});
