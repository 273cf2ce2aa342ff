import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// Enforces the one-way package graph of DESIGN.md / STYLE.md on the TypeScript sources:
//   core imports nothing of ours; api only core; controlplane only core and api;
//   cloud and edge never import each other; another top-level folder is reached only through its
//   index.ts or one of its modules' index.ts (src/testing excepted: tests pick single fakes);
//   src/testing only from *.test.ts files; no import cycles between files (type-only and dynamic
//   imports excepted); every relative import resolves to a file.
// Runs from dist/, so it finds the repository root and reads src/**/*.ts itself.

/** One relative import: repo-relative posix paths. `to` is undefined when it resolves to nothing. */
interface Edge {
  from: string;
  to: string | undefined;
  spec: string;
  /** `import type`, `export type` or `typeof import()`: no runtime dependency. */
  typeOnly: boolean;
  /** `import()`: loaded lazily, so it cannot form an evaluation cycle. */
  dynamic: boolean;
}

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  api: ['core', 'api'],
  controlplane: ['core', 'api', 'controlplane'],
  mappers: ['core', 'api', 'mappers'],
};
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = { cloud: ['edge'], edge: ['cloud'] };

function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'src'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('repository root (package.json + src/) not found');
    dir = parent;
  }
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listTs(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

function specifiers(file: string, text: string): Omit<Edge, 'from' | 'to'>[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: Omit<Edge, 'from' | 'to'>[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly === true, dynamic: false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly, dynamic: false });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) out.push({ spec: e.text, typeOnly: node.isTypeOnly, dynamic: false });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) out.push({ spec: arg.text, typeOnly: false, dynamic: true });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) out.push({ spec: lit.text, typeOnly: true, dynamic: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out.filter((s) => s.spec.startsWith('./') || s.spec.startsWith('../'));
}

function resolve(root: string, fromAbs: string, spec: string): string | undefined {
  const target = path.resolve(path.dirname(fromAbs), spec);
  const candidates = spec.endsWith('.js') ? [target.slice(0, -3) + '.ts', target.slice(0, -3) + '.d.ts', target] : [target];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return hit === undefined ? undefined : toPosix(path.relative(root, hit));
}

function collectEdges(root: string): Edge[] {
  const edges: Edge[] = [];
  for (const abs of listTs(path.join(root, 'src'))) {
    const from = toPosix(path.relative(root, abs));
    for (const s of specifiers(abs, readFileSync(abs, 'utf8'))) edges.push({ ...s, from, to: resolve(root, abs, s.spec) });
  }
  return edges;
}

/** 'core' for src/core/..., '(src)' for a file directly in src/, '(outside)' for anything else. */
function topOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'src') return '(outside)';
  return parts.length > 2 ? (parts[1] as string) : '(src)';
}

/**
 * The public surface of a top-level folder: its index.ts, or the index.ts of one of its modules
 * (core/log, cloud/cloudhub, controlplane/storage): "a module is reached only through its index.ts".
 */
function isPublicIndex(file: string, top: string): boolean {
  return new RegExp(`^src/${top}/([^/]+/)?index\\.ts$`).test(file);
}

function checkRules(edges: readonly Edge[]): string[] {
  const problems: string[] = [];
  for (const e of edges) {
    const at = `${e.from}: import '${e.spec}'`;
    if (e.to === undefined) {
      problems.push(`${at} does not resolve to a file`);
      continue;
    }
    const from = topOf(e.from);
    const to = topOf(e.to);
    const isTest = e.from.endsWith('.test.ts');
    if (from === to) continue;
    if (to === 'testing' && !isTest) problems.push(`${at}: src/testing may only be imported by *.test.ts files`);
    const allowed = ALLOWED[from];
    const testingFromTest = to === 'testing' && isTest && from !== 'core';
    if (allowed !== undefined && !allowed.includes(to) && !testingFromTest) {
      problems.push(`${at}: ${from} may import only ${allowed.join(', ')} (not ${to})`);
    }
    if (FORBIDDEN[from]?.includes(to)) problems.push(`${at}: ${from} must not import ${to}`);
    // src/testing is a shelf of separate fakes, not one module: tests import the fake they need,
    // so an edge test does not load the control-plane harness.
    const indexRule = to !== '(outside)' && to !== '(src)' && to !== 'testing';
    if (indexRule && !isPublicIndex(e.to, to)) {
      problems.push(`${at}: reach ${to} through src/${to}/index.ts (or src/${to}/<module>/index.ts), not its internals`);
    }
  }
  return problems;
}

/** Strongly connected components (Tarjan) of the runtime import graph; each of size > 1 is a cycle. */
function findCycles(edges: readonly Edge[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const e of edges) {
    if (e.typeOnly || e.dynamic || e.to === undefined) continue;
    graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    if (!graph.has(e.to)) graph.set(e.to, []);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    const selfLoop = (graph.get(v) ?? []).includes(v);
    if (scc.length > 1 || selfLoop) cycles.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) strong(v);
  return cycles;
}

function checkGraph(edges: readonly Edge[]): string[] {
  return [...checkRules(edges), ...findCycles(edges).map((c) => `import cycle among: ${c.join(', ')}`)];
}

const edge = (from: string, to: string | undefined, extra: Partial<Edge> = {}): Edge => ({
  from,
  to,
  spec: to ?? './missing.js',
  typeOnly: false,
  dynamic: false,
  ...extra,
});

describe('import graph rules (synthetic graphs)', () => {
  test('allowed imports pass', () => {
    assert.deepEqual(
      checkGraph([
        edge('src/cloud/cloudhub/hub.ts', 'src/core/index.ts'),
        edge('src/cloud/cloudhub/hub.ts', 'src/cloud/edgecontroller/downstream.ts'),
        edge('src/controlplane/storage/store.ts', 'src/api/index.ts'),
        edge('src/edge/edged/pods.test.ts', 'src/testing/index.ts'),
        edge('src/controlplane/apiserver/server.test.ts', 'src/testing/api-server-harness.ts'),
        edge('src/core/bus/module-bus.ts', 'src/core/protocol/message.ts'),
        edge('src/controlplane/apiserver/server.ts', 'src/core/log/index.ts'),
      ]),
      [],
    );
  });

  test('each rule reports its violation', () => {
    const found = checkGraph([
      edge('src/core/bus/x.ts', 'src/api/index.ts'),
      edge('src/api/pod.ts', 'src/controlplane/index.ts'),
      edge('src/controlplane/a.ts', 'src/cloud/index.ts'),
      edge('src/cloud/x.ts', 'src/edge/index.ts'),
      edge('src/edge/x.ts', 'src/cloud/index.ts', { typeOnly: true }),
      edge('src/cloud/y.ts', 'src/controlplane/storage/sqlite-store.ts'),
      edge('src/cloud/v.ts', 'src/core/bus/deep/index.ts'),
      edge('src/edge/z.ts', 'src/testing/index.ts'),
      edge('src/edge/w.ts', undefined),
    ]);
    const expect = [
      /core\/bus\/x\.ts.*core may import only core/,
      /api\/pod\.ts.*api may import only core, api/,
      /controlplane\/a\.ts.*controlplane may import only/,
      /cloud\/x\.ts.*cloud must not import edge/,
      /edge\/x\.ts.*edge must not import cloud/,
      /cloud\/y\.ts.*reach controlplane through src\/controlplane\/index\.ts/,
      /cloud\/v\.ts.*reach core through/,
      /edge\/z\.ts.*src\/testing may only be imported by \*\.test\.ts/,
      /edge\/w\.ts.*does not resolve/,
    ];
    for (const re of expect) assert.ok(found.some((p) => re.test(p)), `expected a problem matching ${re}\n${found.join('\n')}`);
  });

  test('runtime cycles are found; type-only and dynamic imports do not count', () => {
    const cycles = findCycles([
      edge('src/a.ts', 'src/b.ts'),
      edge('src/b.ts', 'src/c.ts'),
      edge('src/c.ts', 'src/a.ts'),
      edge('src/d.ts', 'src/e.ts'),
      edge('src/e.ts', 'src/d.ts', { typeOnly: true }),
      edge('src/f.ts', 'src/g.ts'),
      edge('src/g.ts', 'src/f.ts', { dynamic: true }),
      edge('src/h.ts', 'src/h.ts'),
    ]);
    assert.deepEqual(cycles.sort(), [['src/a.ts', 'src/b.ts', 'src/c.ts'], ['src/h.ts']]);
  });
});

describe('import graph of this repository', () => {
  const root = findRepoRoot();
  const edges = collectEdges(root);

  test('finds the sources', () => {
    assert.ok(edges.some((e) => e.from.startsWith('src/core/')), 'no imports found under src/core');
  });

  test('every import follows the dependency rules and no file is in a cycle', () => {
    assert.deepEqual(checkGraph(edges), []);
  });
});
