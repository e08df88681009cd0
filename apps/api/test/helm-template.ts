/**
 * A small renderer for the subset of Helm's Go templates that infra/helm/plumbline uses, so the
 * chart can be rendered in tests where `helm` is not installed. It evaluates if/else/with/range/
 * define, variables, pipelines and the functions listed in FUNCTIONS; anything else throws, so a
 * template that strays outside the subset fails the test instead of being half-rendered.
 * Checked against `helm template` 3.17 on this chart; `helm lint` and `helm template` remain the
 * reference before publishing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };
type Dict = { [key: string]: Value };

export interface RenderOptions {
  releaseName: string;
  namespace: string;
  /** Deep-merged over values.yaml (lists replace lists), like `helm template -f`. */
  values?: Dict;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipe: string }
  | { kind: 'assign'; name: string; declare: boolean; pipe: string }
  | { kind: 'if'; branches: { cond: string; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'with' | 'range'; pipe: string; body: Node[]; otherwise: Node[] };

interface Token {
  action: boolean;
  text: string;
}

/** Split into text and actions, applying the `{{-` and `-}}` whitespace trims. */
function lex(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = src.slice(i, open < 0 ? src.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      tokens.push({ action: false, text });
      break;
    }
    let j = open + 2;
    const trimLeft = src.startsWith('- ', j);
    if (trimLeft) text = text.replace(/\s+$/, '');
    tokens.push({ action: false, text });
    if (trimLeft) j += 2;
    let k = j;
    if (src.slice(j).trimStart().startsWith('/*')) {
      k = src.indexOf('*/', j) + 2;
      if (k < 2) throw new Error('unclosed template comment');
    }
    let inString = false;
    for (; k < src.length; k++) {
      const c = src[k];
      if (inString) {
        if (c === '\\') k++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (src.startsWith('}}', k)) break;
    }
    if (k >= src.length) throw new Error(`unclosed action at ${open}`);
    let body = src.slice(j, k);
    if (body.endsWith(' -')) {
      body = body.slice(0, -2);
      trimNext = true;
    }
    tokens.push({ action: true, text: body.trim() });
    i = k + 2;
  }
  return tokens.filter((t) => t.action || t.text !== '');
}

/** Build the tree; `define` blocks go to `defines`. */
function parseTokens(tokens: Token[], defines: Map<string, Node[]>): Node[] {
  let pos = 0;
  const block = (stopAt: string[]): { nodes: Node[]; stop: string } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++]!;
      if (!t.action) {
        nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      const a = t.text;
      if (a.startsWith('/*')) continue;
      const word = a.split(/\s+/)[0]!;
      if (stopAt.includes(word)) return { nodes, stop: a };
      if (word === 'if') {
        const branches = [{ cond: a.slice(2).trim(), body: [] as Node[] }];
        let otherwise: Node[] = [];
        for (;;) {
          const r = block(['else', 'end']);
          branches.at(-1)!.body = r.nodes;
          if (r.stop === 'end') break;
          const rest = r.stop.slice(4).trim();
          if (rest.startsWith('if ')) {
            branches.push({ cond: rest.slice(3).trim(), body: [] });
            continue;
          }
          otherwise = block(['end']).nodes;
          break;
        }
        nodes.push({ kind: 'if', branches, otherwise });
      } else if (word === 'with' || word === 'range') {
        const r = block(['else', 'end']);
        const otherwise = r.stop === 'end' ? [] : block(['end']).nodes;
        nodes.push({ kind: word, pipe: a.slice(word.length).trim(), body: r.nodes, otherwise });
      } else if (word === 'define') {
        const name = JSON.parse(a.slice(6).trim()) as string;
        defines.set(name, block(['end']).nodes);
      } else if (word === 'else' || word === 'end') {
        throw new Error(`unexpected {{ ${a} }}`);
      } else {
        const m = /^(\$\w+)\s*(:?=)\s*(.+)$/s.exec(a);
        if (m) nodes.push({ kind: 'assign', name: m[1]!, declare: m[2] === ':=', pipe: m[3]! });
        else nodes.push({ kind: 'output', pipe: a });
      }
    }
    if (stopAt.length) throw new Error(`missing {{ end }} (wanted ${stopAt.join('/')})`);
    return { nodes, stop: '' };
  };
  return block([]).nodes;
}

/** Split on a separator outside quotes and parentheses. */
function splitTop(s: string, sep: (c: string) => boolean): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inString) {
      cur += c;
      if (c === '\\') cur += s[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth === 0 && sep(c)) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function truthy(v: Value | undefined): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** How Go prints a value in a template (Helm's values are float64 and nil prints as ""). */
function show(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    // Go prints float64 values of a million and more as 1e+06: quote such values in values.yaml.
    if (Math.abs(v) >= 1e6) throw new Error(`Helm would print ${v} in exponent form (1e+06)`);
    return String(v);
  }
  if (typeof v === 'object') throw new Error('printing a map or list: use toYaml');
  return String(v);
}

function toYaml(v: Value | undefined): string {
  if (v === null || v === undefined) return 'null';
  return stringify(v, { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '');
}

const indent = (n: number, s: string) =>
  s
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');

function asNumber(v: Value | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

interface Scope {
  dot: Value;
  root: Value;
  vars: Map<string, Value>[];
}

export class HelmTemplate {
  private readonly defines = new Map<string, Node[]>();
  private readonly files = new Map<string, Node[]>();
  readonly values: Dict;
  readonly chart: Dict;

  constructor(private readonly dir: string) {
    this.values = parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) as Dict;
    this.chart = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as Dict;
    for (const f of readdirSync(join(dir, 'templates')).sort()) {
      const tree = parseTokens(lex(readFileSync(join(dir, 'templates', f), 'utf8')), this.defines);
      if (!f.startsWith('_')) this.files.set(f, tree);
    }
  }

  get templateFiles(): string[] {
    return [...this.files.keys()];
  }

  /** Every template, rendered: file name -> text. Throws where Helm would fail. */
  render(opts: RenderOptions): Map<string, string> {
    const root: Dict = {
      Values: merge(this.values, opts.values ?? {}),
      Release: { Name: opts.releaseName, Namespace: opts.namespace, Service: 'Helm' },
      Chart: {
        Name: this.chart.name ?? null,
        Version: this.chart.version ?? null,
        AppVersion: this.chart.appVersion ?? null,
      },
    };
    const out = new Map<string, string>();
    for (const [f, tree] of this.files)
      out.set(f, this.exec(tree, { dot: root, root, vars: [new Map()] }));
    return out;
  }

  /** The Kubernetes objects of every .yaml template (empty documents dropped). */
  objects(opts: RenderOptions): { file: string; doc: Dict }[] {
    const list: { file: string; doc: Dict }[] = [];
    for (const [file, text] of this.render(opts)) {
      if (!file.endsWith('.yaml')) continue;
      for (const part of text.split(/^---\s*$/m)) {
        const doc = parse(part) as Dict | null;
        if (doc) list.push({ file, doc });
      }
    }
    return list;
  }

  private exec(nodes: Node[], scope: Scope): string {
    let out = '';
    for (const n of nodes) {
      switch (n.kind) {
        case 'text':
          out += n.text;
          break;
        case 'output':
          out += show(this.pipe(n.pipe, scope));
          break;
        case 'assign': {
          const v = this.pipe(n.pipe, scope);
          const frame = n.declare
            ? scope.vars.at(-1)!
            : [...scope.vars].reverse().find((m) => m.has(n.name));
          if (!frame) throw new Error(`assignment to undeclared ${n.name}`);
          frame.set(n.name, v);
          break;
        }
        case 'if': {
          const branch = n.branches.find((b) => truthy(this.pipe(b.cond, scope)));
          out += this.exec(branch ? branch.body : n.otherwise, child(scope, scope.dot));
          break;
        }
        case 'with': {
          const v = this.pipe(n.pipe, scope);
          out += truthy(v)
            ? this.exec(n.body, child(scope, v))
            : this.exec(n.otherwise, child(scope, scope.dot));
          break;
        }
        case 'range': {
          const v = this.pipe(n.pipe, scope);
          const items: Value[] = Array.isArray(v)
            ? v
            : v && typeof v === 'object'
              ? Object.keys(v)
                  .sort()
                  .map((k) => v[k]!)
              : [];
          if (!items.length) out += this.exec(n.otherwise, child(scope, scope.dot));
          for (const item of items) out += this.exec(n.body, child(scope, item));
          break;
        }
      }
    }
    return out;
  }

  private pipe(src: string, scope: Scope): Value {
    let acc: Value | undefined;
    let first = true;
    for (const cmd of splitTop(src, (c) => c === '|')) {
      const words = splitTop(cmd, (c) => /\s/.test(c));
      const head = words[0]!;
      if (FUNCTION_NAMES.has(head)) {
        const args = words.slice(1).map((w) => this.term(w, scope));
        if (!first) args.push(acc ?? null);
        acc = this.call(head, args);
      } else {
        if (!first || words.length > 1) throw new Error(`not a function: ${head} in {{ ${src} }}`);
        acc = this.term(head, scope);
      }
      first = false;
    }
    return acc ?? null;
  }

  private term(w: string, scope: Scope): Value {
    if (w.startsWith('(')) return this.pipe(w.slice(1, -1), scope);
    if (w.startsWith('"')) return JSON.parse(w) as string;
    if (/^-?\d+(\.\d+)?$/.test(w)) return Number(w);
    if (w === 'true' || w === 'false') return w === 'true';
    if (w === 'nil') return null;
    let base: Value;
    let path: string;
    if (w.startsWith('$')) {
      const m = /^(\$\w*)(.*)$/.exec(w)!;
      if (m[1] === '$') base = scope.root;
      else {
        const frame = [...scope.vars].reverse().find((f) => f.has(m[1]!));
        if (!frame) throw new Error(`undefined variable ${m[1]}`);
        base = frame.get(m[1]!)!;
      }
      path = m[2]!;
    } else if (w.startsWith('.')) {
      base = scope.dot;
      path = w === '.' ? '' : w;
    } else throw new Error(`unknown function or value: ${w}`);
    let cur: Value | undefined = base;
    for (const key of path.split('.').filter(Boolean)) {
      if (cur === null || cur === undefined) return null;
      if (typeof cur !== 'object' || Array.isArray(cur))
        throw new Error(`cannot read .${key} of a ${typeof cur} in ${w}`);
      cur = cur[key];
    }
    return cur ?? null;
  }

  private call(name: string, a: Value[]): Value {
    const str = (i: number) => show(a[i]);
    switch (name) {
      case 'include': {
        const body = this.defines.get(str(0));
        if (!body) throw new Error(`no template named ${str(0)}`);
        return this.exec(body, { dot: a[1] ?? null, root: a[1] ?? null, vars: [new Map()] });
      }
      case 'toYaml':
        return toYaml(a[0]);
      case 'nindent':
        return '\n' + indent(asNumber(a[0]), str(1));
      case 'indent':
        return indent(asNumber(a[0]), str(1));
      case 'quote':
        return a
          .filter((v) => v !== null)
          .map((v) => JSON.stringify(show(v)))
          .join(' ');
      case 'default':
        return truthy(a[1]) ? a[1]! : (a[0] ?? null);
      case 'trunc':
        return str(1).slice(0, asNumber(a[0]));
      case 'trimSuffix':
        return str(1).endsWith(str(0)) ? str(1).slice(0, str(1).length - str(0).length) : str(1);
      case 'contains':
        return str(1).includes(str(0));
      case 'printf': {
        let i = 1;
        return str(0).replace(/%[sdv]/g, () => show(a[i++]));
      }
      case 'fail':
        throw new Error(`fail: ${str(0)}`);
      case 'required':
        if (!truthy(a[1])) throw new Error(`required: ${str(0)}`);
        return a[1]!;
      case 'eq':
        return a.slice(1).some((v) => v === a[0]);
      case 'ne':
        return a[0] !== a[1];
      case 'lt':
        return asNumber(a[0]) < asNumber(a[1]);
      case 'gt':
        return asNumber(a[0]) > asNumber(a[1]);
      case 'not':
        return !truthy(a[0]);
      case 'and':
        return a.find((v) => !truthy(v)) ?? a.at(-1) ?? null;
      case 'or':
        return a.find((v) => truthy(v)) ?? a.at(-1) ?? null;
      case 'int':
        return Math.trunc(asNumber(a[0]));
      case 'list':
        return a;
      case 'has':
        return Array.isArray(a[1]) && a[1].some((v) => v === a[0]);
      default:
        throw new Error(`unsupported function ${name}`);
    }
  }
}

const FUNCTION_NAMES = new Set([
  'include',
  'toYaml',
  'nindent',
  'indent',
  'quote',
  'default',
  'trunc',
  'trimSuffix',
  'contains',
  'printf',
  'fail',
  'required',
  'eq',
  'ne',
  'lt',
  'gt',
  'not',
  'and',
  'or',
  'int',
  'list',
  'has',
]);

function child(scope: Scope, dot: Value): Scope {
  return { dot, root: scope.root, vars: [...scope.vars, new Map()] };
}

function merge(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      b &&
      typeof b === 'object' &&
      !Array.isArray(b)
        ? merge(b, v)
        : v;
  }
  return out;
}
