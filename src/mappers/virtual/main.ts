// bin/mapper-virtual: the virtual device mapper (simulated sensors and actuators).
import { mapperMain } from '../sdk/index.js';
import { VIRTUAL_PROTOCOL, createVirtualDriver } from './virtual-driver.js';

export async function main(argv: string[]): Promise<void> {
  await mapperMain(argv, ({ now }) => createVirtualDriver({ now }), {
    binary: 'mapper-virtual',
    defaults: {
      grpc_server: { socket_path: '/etc/kubeedge/virtual.sock' },
      common: { name: 'virtual-mapper', protocol: VIRTUAL_PROTOCOL },
    },
  });
}
