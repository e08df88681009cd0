import type { ClusterSnapshot } from '@plumbline/contracts';
import fc from 'fast-check';
import { snapshotLookup } from './lookup.js';

type Service = ClusterSnapshot['services'][number];
type ServiceAccount = ClusterSnapshot['serviceAccounts'][number];

const names = ['', 'a', 'b', 'a\u0000b', 'default', 'web'];
const pick = fc.constantFrom(...names);

/** A snapshot holding only the lists the lookups read (duplicates and any order allowed). */
function snapshotOf(
  services: { namespace: string; name: string; tag: number }[],
  accounts: { namespace: string; name: string; tag: number }[],
  namespaces: { name: string; tag: number }[],
  ingresses: { namespace: string; name: string; tag: number }[] = [],
): ClusterSnapshot {
  return {
    ingresses: ingresses.map((i) => ({ ...i, rules: [], tls: [] })),
    services: services.map(
      (s) => ({ ...s, type: 'ClusterIP', selector: null }) as unknown as Service,
    ),
    serviceAccounts: accounts.map((a) => ({ ...a }) as unknown as ServiceAccount),
    namespaces: namespaces.map((n) => ({ ...n, labels: {} })),
  } as unknown as ClusterSnapshot;
}

describe('snapshot lookups', () => {
  it('answer as find and filter over the lists do, duplicates and order included', () => {
    const entry = fc.record({ namespace: pick, name: pick, tag: fc.nat() });
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 30 }),
        fc.array(entry, { maxLength: 30 }),
        fc.array(fc.record({ name: pick, tag: fc.nat() }), { maxLength: 10 }),
        fc.array(entry, { maxLength: 30 }),
        (services, accounts, namespaces, ingresses) => {
          const s = snapshotOf(services, accounts, namespaces, ingresses);
          const look = snapshotLookup(s);
          for (const ns of names) {
            expect(look.servicesIn(ns)).toEqual(s.services.filter((x) => x.namespace === ns));
            expect(look.namespace(ns)).toBe(s.namespaces.find((n) => n.name === ns) ?? null);
            expect(look.ingressesIn(ns)).toEqual(s.ingresses.filter((i) => i.namespace === ns));
            for (const name of names) {
              expect(look.service(ns, name)).toBe(
                s.services.find((x) => x.namespace === ns && x.name === name) ?? null,
              );
              expect(look.serviceAccount(ns, name)).toBe(
                s.serviceAccounts.find((x) => x.namespace === ns && x.name === name) ?? null,
              );
            }
          }
          expect(look.service(null, 'a')).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});
