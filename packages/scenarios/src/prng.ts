/**
 * A small deterministic pseudo-random generator (sfc32 seeded through xmur3). The same seed gives
 * the same sequence on every machine and Node version; nothing here reads Math.random or a clock.
 */

function xmur3(text: string): () => number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return h >>> 0;
  };
}

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Pick by weight: `[[value, weight], ...]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** A new array in random order (the input is not changed). */
  shuffle<T>(items: readonly T[]): T[];
  /** `n` lowercase hex characters. */
  hex(n: number): string;
  /** `n` characters from the alphabet Kubernetes uses for generated name suffixes. */
  suffix(n: number): string;
  /** A version-4-shaped UUID. */
  uuid(): string;
  /** An independent generator derived from this seed and a label (stable when others change). */
  fork(label: string): Rng;
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function createRng(seed: number | string): Rng {
  const seedText = String(seed);
  const mix = xmur3(seedText);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Warm up: the first outputs of sfc32 are correlated with the seed.
  for (let i = 0; i < 15; i++) next();

  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: (items) => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [v, w] of items) {
        r -= w;
        if (r < 0) return v;
      }
      return items[items.length - 1]![0];
    },
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    hex: (n) => {
      let s = '';
      while (s.length < n)
        s += Math.floor(next() * 4294967296)
          .toString(16)
          .padStart(8, '0');
      return s.slice(0, n);
    },
    suffix: (n) => {
      let s = '';
      for (let i = 0; i < n; i++) s += NAME_ALPHABET[Math.floor(next() * NAME_ALPHABET.length)];
      return s;
    },
    uuid: () => {
      const h = rng.hex(32);
      const variant = '89ab'[Math.floor(next() * 4)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    fork: (label) => createRng(`${seedText}/${label}`),
  };
  return rng;
}
