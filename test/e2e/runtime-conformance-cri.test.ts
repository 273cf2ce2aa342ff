// The shared runtime conformance suite against the cri runtime: a real containerd started by the
// harness, with the locally built busybox image (the process runtime runs the same suite).
import { createSilentLogger } from '../../src/core/index.js';
import { createCriRuntime } from '../../src/edge/runtime/cri/index.js';
import { runtimeConformance } from '../../src/testing/runtime-conformance.js';
import { startContainerd } from '../harness/containerd.js';
import { BUSYBOX_IMAGE, buildTestImages, importImages } from '../harness/images.js';

runtimeConformance('cri (containerd)', async () => {
  const [ctd, images] = await Promise.all([startContainerd(), buildTestImages()]);
  try {
    await importImages(ctd, images);
    const runtime = await createCriRuntime({ endpoint: ctd.endpoint, log: createSilentLogger() });
    return {
      runtime,
      image: BUSYBOX_IMAGE,
      cleanup: async () => {
        await runtime.close();
        await ctd.stop();
      },
    };
  } catch (err) {
    await ctd.stop();
    throw err;
  }
});
