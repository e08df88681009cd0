import { ConnSet, PROTOCOLS, type Ranges } from './conns.js';
import type { NetpolEngine } from './engine.js';
import { formatRange } from './ip.js';
import type { Direction, Peer, RuleIR } from './ir.js';
import { endpointRef } from './model.js';

/**
 * Why a connection between one pair is allowed or denied, port range by port range, in the manner
 * of np-guard netpol-analyzer's `list --explain`: every part of the TCP/UDP/SCTP space between the
 * two peers is ALLOWED or DENIED, with the policy rules (or the default) that decided it in each
 * direction.
 */

export interface DirectionReason {
  direction: 'egress' | 'ingress';
  allowed: boolean;
  /** Rules that decided, in evaluation order (`NetworkPolicy shop/db ingress[0] (allow)`). */
  rules: string[];
  /** True when no rule decided: the system default (allow all) applies. */
  systemDefault: boolean;
}

export interface ExplainSegment {
  allowed: boolean;
  /** np-guard connlist form of the ports this segment covers. */
  conns: string;
  set: ConnSet;
  reasons: DirectionReason[];
}

export interface Explanation {
  src: string;
  dst: string;
  /** The allowed connections, as the connlist prints them. */
  allowed: string;
  segments: ExplainSegment[];
}

interface Piece {
  set: ConnSet;
  allowed: boolean;
  rules: string[];
  systemDefault: boolean;
}

const TRANSPORT = ConnSet.of({ tcp: [1, 65535], udp: [1, 65535], sctp: [1, 65535] });
const DEFAULT_ALLOW = /default allow/;

function pieces(engine: NetpolEngine, subject: Peer, dir: Direction, other: Peer): Piece[] {
  if (subject.kind !== 'endpoint') return [];
  const out: Piece[] = [];
  const passed: { set: ConnSet; ref: string }[] = [];
  let decided = ConnSet.NONE;
  engine.evaluate(subject.e, dir, other, (rule: RuleIR | string, c: ConnSet) => {
    const part = c.intersect(TRANSPORT).subtract(decided);
    if (part.isEmptyTransport()) return;
    if (typeof rule !== 'string' && rule.action === 'pass') {
      passed.push({ set: part, ref: `${rule.ref} (pass)` });
      return;
    }
    const via = passed.filter((p) => !p.set.intersect(part).isEmptyTransport()).map((p) => p.ref);
    if (typeof rule === 'string') {
      const dflt = DEFAULT_ALLOW.test(rule);
      // Denied for want of an allowing rule: name the policies that isolate the endpoint.
      const isolating = dflt
        ? []
        : engine
            .isolation(subject.e, dir)
            .by.map((ref) => `${ref} (isolates it; no rule allows this)`);
      out.push({
        set: part,
        allowed: dflt,
        rules: dflt ? via : [...via, ...(isolating.length ? isolating : [rule])],
        systemDefault: dflt,
      });
    } else
      out.push({
        set: part,
        allowed: rule.action === 'allow',
        rules: [...via, `${rule.ref} (${rule.action})`],
        systemDefault: false,
      });
    decided = decided.union(part);
  });
  return out;
}

const peerName = (p: Peer) =>
  p.kind === 'endpoint' ? endpointRef(p.e) : `${formatRange(p.atom.range)}[External]`;

/** Explain every port between two peers (egress at the source, ingress at the destination). */
export function explainPair(engine: NetpolEngine, src: Peer, dst: Peer): Explanation {
  const eg = pieces(engine, src, 'egress', dst);
  const ing = pieces(engine, dst, 'ingress', src);
  const whole: Piece = { set: TRANSPORT, allowed: true, rules: [], systemDefault: true };
  const egs = src.kind === 'endpoint' ? eg : [whole];
  const ings = dst.kind === 'endpoint' ? ing : [whole];
  const groups = new Map<string, ExplainSegment>();
  for (const a of egs)
    for (const b of ings) {
      const set = a.set.intersect(b.set);
      if (set.isEmptyTransport()) continue;
      const reasons: DirectionReason[] = [];
      if (src.kind === 'endpoint') reasons.push({ direction: 'egress', ...strip(a) });
      if (dst.kind === 'endpoint') reasons.push({ direction: 'ingress', ...strip(b) });
      const allowed = a.allowed && b.allowed;
      const key = JSON.stringify([allowed, reasons]);
      const g = groups.get(key);
      if (g) g.set = g.set.union(set);
      else groups.set(key, { allowed, conns: '', set, reasons });
    }
  const segments = [...groups.values()]
    .map((g) => ({ ...g, conns: g.set.toString() }))
    .sort((x, y) => Number(y.allowed) - Number(x.allowed) || cmpStr(x.conns, y.conns));
  return {
    src: peerName(src),
    dst: peerName(dst),
    allowed: engine.connections(src, dst).toString(),
    segments,
  };
}

function strip(p: Piece): Omit<DirectionReason, 'direction'> {
  return { allowed: p.allowed, rules: p.rules, systemDefault: p.systemDefault };
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function rangesText(r: Ranges): string {
  const parts: string[] = [];
  for (let i = 0; i < r.length; i += 2)
    parts.push(r[i] === r[i + 1] ? `${r[i]}` : `${r[i]}-${r[i + 1]}`);
  return parts.join(',');
}

/** `{SCTP,TCP}:[ALL PORTS]`, `UDP:[1-52,54-65535]`: one entry per line heading, as np-guard. */
export function explainHeadings(set: ConnSet): string[] {
  const whole: string[] = [];
  const out: string[] = [];
  for (const p of PROTOCOLS) {
    const r = set.get(p);
    if (!r.length) continue;
    if (r.length === 2 && r[0] === 1 && r[1] === 65535) whole.push(p);
    else out.push(`${p}:[${rangesText(r)}]`);
  }
  if (whole.length) out.push(`{${whole.join(',')}}:[ALL PORTS]`);
  return out.sort();
}

/** The text form (modelled on netpol-analyzer's explain output). */
export function formatExplanation(x: Explanation): string {
  const lines = [`CONNECTIONS BETWEEN ${x.src} => ${x.dst}:`, ''];
  for (const s of x.segments) {
    const verdict = s.allowed ? 'ALLOWED' : 'DENIED';
    const heads = s.set.isAllTransport() ? ['All Connections'] : explainHeadings(s.set);
    for (const h of heads) {
      const head = h === 'All Connections' ? (s.allowed ? h : 'No Connections') : `${verdict} ${h}`;
      if (s.reasons.every((r) => r.systemDefault && !r.rules.length)) {
        lines.push(`${head} due to the system default (Allow all)`, '');
        continue;
      }
      lines.push(`${head} due to the following policies // rules:`);
      for (const r of s.reasons) {
        const d = `${r.direction.toUpperCase()} DIRECTION (${r.allowed ? 'ALLOWED' : 'DENIED'})`;
        if (!r.rules.length) lines.push(`\t${d} due to the system default (Allow all)`);
        else {
          lines.push(`\t${d}`);
          r.rules.forEach((rule, i) => lines.push(`\t\t${i + 1}) ${rule}`));
        }
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}
