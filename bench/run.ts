// `npm run bench`: runs every benchmark and writes its figures into BENCHMARKS.md.
// BENCH_QUICK=1 runs a small version (for checking the harness), which does not touch BENCHMARKS.md.
import { repoRoot } from '../test/harness/repo.js';
import { benchControlPlane, controlPlaneMarkdown } from './controlplane.js';
import { writeSection } from './report.js';

async function main(): Promise<void> {
  const quick = process.env['BENCH_QUICK'] === '1';
  const pods = quick ? 500 : 10_000;
  const watchers = quick ? 50 : 1_000;
  const figures = await benchControlPlane({ pods, watchers });
  const md = controlPlaneMarkdown(figures, pods);
  process.stdout.write(`${md}\n`);
  if (!quick) writeSection(repoRoot(), 'controlplane', md);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
