// After a reboot containerd may come up after edgecore: edgecore waits for the CRI runtime (as kubelet
// does) instead of exiting, then registers the node and runs pods.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startContainerd, type Containerd } from '../harness/containerd.js';
import { eventually, joinToken, startEdgecore, waitNodeReady, type EdgecoreProcess } from '../harness/edgecore.js';
import { buildTestImages, importImages } from '../harness/images.js';
import { applyYaml, busyboxPod, isRunningReady, waitPod } from '../harness/pods.js';
import { cloudcoreSuite } from '../harness/suite.js';

describe('edgecore waits for a CRI runtime that is not up yet', { timeout: 300_000 }, () => {
  const suite = cloudcoreSuite();
  let containerd: Containerd | undefined;
  let edge: EdgecoreProcess | undefined;
  after(async () => { await edge?.dispose(); await containerd?.stop(); });

  test('containerd down at start: edgecore keeps trying, then runs pods once it answers', async () => {
    containerd = await startContainerd();
    await importImages(containerd, await buildTestImages());
    containerd.kill();
    edge = await startEdgecore(suite.cc, { nodeName: 'edge-late-cri', token: await joinToken(suite.cc), runtime: 'cri', criEndpoint: containerd.endpoint });
    const e = edge;
    await eventually(() => e.logs().includes('runtime unavailable') || undefined, 'edgecore says the runtime is unavailable',
      { describe: () => e.logs().slice(-3000) });
    assert.equal(e.pid() !== undefined && (await Promise.race([e.exited().then(() => 'exited'), new Promise((r) => setTimeout(() => r('running'), 1500))])), 'running');
    await containerd.restart();
    await waitNodeReady(suite.cc, e);
    await applyYaml(suite.cc, busyboxPod('late', 'edge-late-cri', 'sleep 600'));
    await waitPod(suite.cc, e, 'late', 'Running', isRunningReady, 90_000);
  });
});
