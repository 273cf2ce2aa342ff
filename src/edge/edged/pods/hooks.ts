// Lifecycle hooks (preStop, postStart): exec and httpGet run like a probe handler (parts.runProbe),
// sleep waits; each bounded by a deadline so a hanging hook cannot hold a deletion past its grace.
import type { Json, ProbeTarget } from '../pod-contracts.js';
import type { SyncContext } from './sync-context.js';

export async function runHook(ctx: SyncContext, target: ProbeTarget, hook: Json, timeoutSeconds: number): Promise<{ ok: boolean; message: string }> {
  const limitMs = Math.max(0, timeoutSeconds * 1000);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<{ ok: boolean; message: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, message: `hook timed out after ${timeoutSeconds}s` }), limitMs);
    timer.unref();
  });
  try {
    return await Promise.race([run(ctx, target, hook, timeoutSeconds), deadline]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

async function run(ctx: SyncContext, target: ProbeTarget, hook: Json, timeoutSeconds: number): Promise<{ ok: boolean; message: string }> {
  const sleep = hook['sleep'];
  if (typeof sleep === 'object' && sleep !== null) {
    const seconds = Number((sleep as Json)['seconds'] ?? 0);
    await new Promise((r) => setTimeout(r, Math.max(0, seconds) * 1000).unref());
    return { ok: true, message: '' };
  }
  if (hook['exec'] === undefined && hook['httpGet'] === undefined) return { ok: true, message: '' };
  try {
    const probe: Json = { ...hook, timeoutSeconds: Math.max(1, Math.ceil(timeoutSeconds)) };
    const r = await ctx.parts.runProbe(probe, 'liveness', target, ctx.runtime.runtime);
    return { ok: r.result === 'success', message: r.message };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
