// Kubernetes' WebSocket remotecommand channel protocol (k8s.io/apimachinery/pkg/util/httpstream/wsstream,
// client-go tools/remotecommand): every binary message is `channel u8 | bytes`.
//   0 stdin (client->server), 1 stdout, 2 stderr, 3 status (JSON metav1.Status in v4+), 4 resize
//   (JSON {"Width","Height"}), and in v5 only 255 = close: the client sends [255, 0] to end stdin.
// Pure.

export const V5 = 'v5.channel.k8s.io';
export const V4 = 'v4.channel.k8s.io';
/** Best first: the server picks the first of these the client offers. */
export const SUPPORTED_PROTOCOLS = [V5, V4] as const;
export type ChannelProtocol = (typeof SUPPORTED_PROTOCOLS)[number];

export const Channels = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

/** The Sec-WebSocket-Protocol header's offers. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const raw = Array.isArray(header) ? header.join(',') : header ?? '';
  return raw.split(',').map((p) => p.trim()).filter((p) => p !== '');
}

export function pickProtocol(offered: Iterable<string>): ChannelProtocol | undefined {
  const set = new Set(offered);
  return SUPPORTED_PROTOCOLS.find((p) => set.has(p));
}

export function encodeChannel(channel: number, bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length + 1);
  out[0] = channel;
  bytes.copy(out, 1);
  return out;
}

export type ClientMessage =
  | { kind: 'stdin'; bytes: Buffer }
  | { kind: 'resize'; width: number; height: number }
  | { kind: 'close'; channel: number }
  | { kind: 'ignored' };

export function decodeClientMessage(data: Buffer, protocol: ChannelProtocol): ClientMessage {
  if (data.length === 0) return { kind: 'ignored' };
  const channel = data[0];
  const body = data.subarray(1);
  if (channel === Channels.stdin) return { kind: 'stdin', bytes: body };
  if (channel === Channels.resize) {
    try {
      const o = JSON.parse(body.toString('utf8')) as { Width?: unknown; Height?: unknown };
      const width = Number(o.Width);
      const height = Number(o.Height);
      if (Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) return { kind: 'resize', width, height };
    } catch {
      // A malformed resize is dropped, as kubelet does.
    }
    return { kind: 'ignored' };
  }
  if (channel === Channels.close && protocol === V5 && body.length >= 1) return { kind: 'close', channel: body[0] ?? 0 };
  return { kind: 'ignored' };
}

/**
 * The status channel's JSON for how the command ended (kubelet's remotecommand v4 status writer with
 * CRI's CodeExitError text); kubectl reads the exit code from the ExitCode cause.
 */
export function exitStatus(exitCode: number | null, command: readonly string[], message?: string): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  if (exitCode === null) {
    return { metadata: {}, status: 'Failure', message: message ?? 'the command ended without an exit code', reason: 'InternalError' };
  }
  return {
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: command '${command.join(' ')}' exited with ${exitCode}: ${message ?? ''}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

export function failureStatus(message: string, reason = 'InternalError'): Record<string, unknown> {
  return { metadata: {}, status: 'Failure', message, reason };
}
