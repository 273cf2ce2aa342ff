// bin/mapper-mqtt: the mapper for devices that speak JSON over MQTT.
import { mapperMain } from '../sdk/index.js';
import { MQTT_PROTOCOL, createMqttDriver } from './mqtt-driver.js';

export async function main(argv: string[]): Promise<void> {
  await mapperMain(argv, ({ log }) => createMqttDriver({ log }), {
    binary: 'mapper-mqtt',
    defaults: {
      grpc_server: { socket_path: '/etc/kubeedge/mqtt.sock' },
      common: { name: 'mqtt-mapper', protocol: MQTT_PROTOCOL },
    },
  });
}
