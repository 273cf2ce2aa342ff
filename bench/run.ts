// `npm run bench`: runs every benchmark and writes its figures into BENCHMARKS.md.
// BENCH_QUICK=1 runs a small version (for checking the harness), which does not touch BENCHMARKS.md.
// BENCH_ONLY=controlplane,cloudhub,edgelink,pods,devices runs a subset.
import { repoRoot } from '../test/harness/repo.js';
import { runCloudhubBench } from './cloudhub.js';
import { benchControlPlane, controlPlaneMarkdown } from './controlplane.js';
import { benchDevices, devicesMarkdown } from './devices.js';
import { benchEdgeLink, edgeLinkMarkdown } from './edge-link.js';
import { benchPods, benchRssVariants, podsMarkdown, rssVariantsMarkdown } from './pods.js';
import { writeSection } from './report.js';

const quick = process.env['BENCH_QUICK'] === '1';
const only = (process.env['BENCH_ONLY'] ?? '').split(',').filter(Boolean);
const wanted = (id: string): boolean => only.length === 0 || only.includes(id);

function publish(id: string, md: string): void {
  process.stdout.write(`${md}\n\n`);
  if (!quick) writeSection(repoRoot(), id, md);
}

async function main(): Promise<void> {
  if (wanted('controlplane')) {
    const pods = quick ? 500 : 10_000;
    const figures = await benchControlPlane({ pods, watchers: quick ? 50 : 1_000 });
    publish('controlplane', controlPlaneMarkdown(figures, pods));
  }
  if (wanted('edgelink')) publish('edgelink', edgeLinkMarkdown(await benchEdgeLink({ quick })));
  if (wanted('cloudhub')) publish('cloudhub', (await runCloudhubBench({ quick })).markdown);
  if (wanted('pods')) {
    const figures = await benchPods({ quick, runtimes: ['cri', 'process'] });
    const rss = await benchRssVariants({ quick, runtime: 'cri' });
    publish('pods', podsMarkdown(figures) + rssVariantsMarkdown('cri', rss));
  }
  if (wanted('devices')) publish('devices', devicesMarkdown(await benchDevices({ quick })));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
