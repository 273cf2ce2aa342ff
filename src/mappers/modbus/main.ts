// mapper-modbus: KubeEdge's Modbus TCP mapper. The SDK parses --config (mapper-framework config.yaml),
// registers with edgecore over DMI and drives the ModbusDriver; this file only picks the driver and the
// built-in defaults (used where the config file is silent).
import { mapperMain } from '../sdk/index.js';
import { MODBUS_PROTOCOL, ModbusDriver } from './driver.js';

export const modbusMapperDefaults = {
  grpc_server: { socket_path: '/etc/kubeedge/modbus.sock' },
  common: { name: 'modbus-mapper', protocol: MODBUS_PROTOCOL },
};

export async function main(argv: string[]): Promise<void> {
  await mapperMain(argv, ({ log, now }) => new ModbusDriver({ log, now }), { defaults: modbusMapperDefaults, binary: 'mapper-modbus' });
}
