// The MQTT mapper: protocol "mqtt", devices that publish JSON state and take JSON commands over MQTT.
export { MQTT_PROTOCOL, commandValue, createMqttDriver, mergeState, protocolConfig, valueAt } from './mqtt-driver.js';
export type { MqttProtocolConfig } from './mqtt-driver.js';
