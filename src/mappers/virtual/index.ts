// The virtual mapper: protocol "virtual", simulated sensors (waveforms) and actuators.
export { VIRTUAL_PROTOCOL, Waveforms, createVirtualDriver, formatValue, sensorConfig, waveValue } from './virtual-driver.js';
export type { SensorConfig, Waveform } from './virtual-driver.js';
