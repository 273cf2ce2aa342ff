#!/usr/bin/env node
// Runs the test suite from the compiled tree: unit tests (dist/src/**/*.test.js, dist/test/unit) and
// end-to-end tests (dist/test/e2e). Node 20's --test takes no globs, so we find the files ourselves.
// Usage: node scripts/test.mjs [--unit | --e2e] [filter-substring ...]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--e2e') ? 'e2e' : 'all';
const filters = args.filter((a) => !a.startsWith('--'));

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

const unit = [...findTests(join(root, 'dist/src')), ...findTests(join(root, 'dist/test/unit'))];
const e2e = findTests(join(root, 'dist/test/e2e'));
let files = only === 'unit' ? unit : only === 'e2e' ? e2e : [...unit, ...e2e];
if (filters.length) files = files.filter((f) => filters.some((s) => relative(root, f).includes(s)));
if (files.length === 0) {
  console.error('no test files found: run `npm run build` first');
  process.exit(1);
}

// e2e files start real daemons; run files one at a time so two suites never fight for the 2 cores.
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, KUBEEDGE_TS_ROOT: root },
});
process.exit(result.status ?? 1);
