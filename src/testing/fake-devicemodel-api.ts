// A stand-in Kubernetes API server for unit tests of the admission webhook's DeviceModel lookup: it
// answers by the model name at the end of the path (thermo: found, secret: 403, slow: never answers,
// anything else: 404) and records the paths it was asked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in API server: answers by the model name in the path, records the paths asked. */
export function fakeDeviceModelApi(): Promise<{ server: Server; url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    const name = (req.url ?? '').split('/').pop();
    const status = (code: number, message: string): void => {
      res.writeHead(code, { 'content-type': 'application/json' })
        .end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code }));
    };
    if (name === 'thermo') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ metadata: { name }, spec: { properties: [] } }));
    else if (name === 'secret') status(403, 'devicemodels.devices.kubeedge.io "secret" is forbidden: User "x" cannot get resource');
    else if (name === 'slow') { /* never answers */ } else status(404, 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths });
  }));
}

