// Devices end to end with edgecore's embedded broker (internal mode): the same flows as with mosquitto.
import { startModbusSimulator } from '../../src/testing/modbus-simulator.js';
import { deviceFlows } from '../harness/device-flows.js';

deviceFlows({ mode: 'internal', startModbus: () => startModbusSimulator({}) });
