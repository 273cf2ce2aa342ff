// ImageService over runtime.v1 gRPC. ImageStatus answers an empty image (not an error) when the image is
// absent; pulls get their own long deadline. Auth is passed through and never logged.
import type { AuthConfig, ImageService, PodSandboxConfig } from '../types.js';
import type { UnaryCall } from './unary-call.js';
import type { WireImage } from './messages.js';
import { toWireAuth, toWireSandboxConfig } from './to-cri.js';
import { fromWireImage } from './from-cri.js';

export function criImageService(call: UnaryCall, d: { queryMs: number; pullMs: number }): ImageService {
  return {
    async imageStatus(image: string) {
      const res = await call<{ image: WireImage | null }>('ImageStatus', { image: { image }, verbose: false }, d.queryMs);
      // containerd answers an Image with an empty id for a missing one on some versions, null on others.
      if (!res.image || res.image.id === '') return undefined;
      return fromWireImage(res.image);
    },
    async pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig) {
      const res = await call<{ imageRef: string }>('PullImage', {
        image: { image }, auth: toWireAuth(auth), sandboxConfig: sandboxConfig ? toWireSandboxConfig(sandboxConfig) : null,
      }, d.pullMs);
      return res.imageRef;
    },
    async listImages() {
      const res = await call<{ images: WireImage[] }>('ListImages', { filter: null }, d.queryMs);
      return res.images.map(fromWireImage);
    },
    async removeImage(image: string) {
      await call('RemoveImage', { image: { image } }, d.queryMs);
    },
  };
}
