/** Kubernetes resource quantities: CPU in cores, memory in GiB. Null when unparseable. */

const BIN: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DEC: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

export function parseQuantity(q: string): number | null {
  const m =
    /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|K|M|G|T|P|E)?$/.exec(
      q.trim(),
    );
  if (!m) return null;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  const factor = BIN[suffix] ?? DEC[suffix];
  return factor === undefined ? null : n * factor;
}

export function cpuCores(q: string | undefined): number | null {
  return q === undefined ? null : parseQuantity(q);
}

export function memoryGib(q: string | undefined): number | null {
  if (q === undefined) return null;
  const bytes = parseQuantity(q);
  return bytes === null ? null : bytes / 2 ** 30;
}
