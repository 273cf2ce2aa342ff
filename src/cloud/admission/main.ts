// bin/admission: the validating webhook for devices.kubeedge.io on a real cluster (KubeEdge's `admission`
// binary). The embedded control plane checks devices itself; a real API server calls this. Owns the exit
// code: 2 for a bad command line, 1 when the certificate or kubeconfig cannot be used or the port not bound.
import { FlagError, ServiceManager, createLogger, formatHelp, onShutdownSignals, type Service } from '../../core/index.js';
import type { ModelSource } from './admit.js';
import { kubeModelSource, loadKubeConfig } from './model-source.js';
import { admissionFlags, parseAdmissionArgs, readTlsFiles, TlsFilesError, type AdmissionOptions } from './options.js';
import { startAdmissionServer } from './server.js';

const usage = 'admission --tls-cert-file FILE --tls-private-key-file FILE [flags]';

function fail(code: number, message: string): never {
  process.stderr.write(`admission: ${message}\n`);
  process.exit(code);
}

function admissionService(options: AdmissionOptions, tls: { cert: string; key: string }, models: ModelSource): Service {
  return {
    name: 'webhook',
    async run({ signal, ready, log }) {
      const server = await startAdmissionServer({ host: options.bindAddress, port: options.port, tls, models, log });
      log.info('serving', { address: `${options.bindAddress}:${server.port}`, paths: ['/devices', '/devicemodels', '/healthz'] });
      ready();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      await server.stop();
    },
  };
}

function setup(argv: string[]): { options: AdmissionOptions; tls: { cert: string; key: string }; models: ModelSource } | undefined {
  try {
    const parsed = parseAdmissionArgs(argv);
    if (parsed.kind === 'help') {
      process.stdout.write(formatHelp(admissionFlags, { usage, description: 'Validating admission webhook for devices.kubeedge.io' }));
      return undefined;
    }
    const { options } = parsed;
    const tls = readTlsFiles(options);
    let models: ModelSource;
    try {
      models = kubeModelSource(loadKubeConfig(options));
    } catch (err) {
      fail(1, `cannot load the kubeconfig${options.kubeconfig ? ` ${options.kubeconfig}` : ''}: ${(err as Error).message}`);
    }
    return { options, tls, models };
  } catch (err) {
    if (err instanceof FlagError) fail(2, `${err.message}\n${usage}`);
    if (err instanceof TlsFilesError) fail(1, err.message);
    throw err;
  }
}

export async function main(argv: string[]): Promise<void> {
  const ready = setup(argv);
  if (!ready) return;
  const log = createLogger({ component: 'admission', level: ready.options.logLevel });
  const manager = new ServiceManager({ log });
  manager.add(admissionService(ready.options, ready.tls, ready.models));
  const shutdown = onShutdownSignals(manager, log);
  try {
    await manager.start();
  } catch (err) {
    // A certificate and key that do not match, or a port in use, surface here.
    log.error('failed', { error: err instanceof Error ? err.message : String(err) });
    fail(1, err instanceof Error ? err.message : String(err));
  }
  log.info('ready');
  const result = await shutdown;
  process.exit(result.forced ? 130 : 0);
}
