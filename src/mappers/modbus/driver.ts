// The "modbus" DeviceDriver: one Modbus TCP client per device, each property read or written through
// its visitor (register kind, offset, limit, scale, swaps). Mirrors KubeEdge's modbus mapper: coils and
// holding registers are writable (FC5/FC15, FC6/FC16), discrete inputs and input registers are not.
import { createSilentLogger, type Logger } from '../../core/index.js';
import type { DeviceDriver, MapperDevice, MapperProperty } from '../sdk/index.js';
import { bitsToValue, valueToBits } from './bit-values.js';
import {
  ModbusConnectionError, ModbusFrameError, ModbusTcpClient, ModbusTimeoutError, type ModbusTcpClientOptions,
} from './client/index.js';
import { isReadOnly, parseEndpoint, parseVisitor, type ModbusEndpoint, type ModbusVisitor } from './config.js';
import { ModbusValueError } from './errors.js';
import { registersToValue, valueToRegisters } from './register-values.js';

export const MODBUS_PROTOCOL = 'modbus';

export interface ModbusDriverOptions {
  log?: Logger;
  /** Per-request timeout in ms; default 3000. */
  timeoutMs?: number;
  /** Backoff after a failed connect; default 200 ms doubling to 5 s. */
  reconnectDelayMs?: { initial: number; max: number };
  /** Clock for the reconnect backoff; default Date.now. */
  now?: () => number;
}

/** What the last exchange with a device says about it, for ReportDeviceStates. */
type Health = 'unknown' | 'ok' | 'offline' | 'unhealthy';

interface DeviceEntry {
  endpoint: ModbusEndpoint;
  client: ModbusTcpClient;
  health: Health;
}

export class ModbusDriver implements DeviceDriver {
  readonly protocol = MODBUS_PROTOCOL;
  private readonly devices = new Map<string, DeviceEntry>();
  private readonly log: Logger;

  constructor(private readonly opts: ModbusDriverOptions = {}) {
    this.log = opts.log ?? createSilentLogger();
  }

  async connect(device: MapperDevice): Promise<void> {
    const key = keyOf(device);
    const endpoint = parseEndpoint(device.protocol.configData);
    for (const p of device.properties) {
      try {
        parseVisitor(p.visitor);
      } catch (err) {
        // One bad visitor must not keep the device's other properties from working; its reads fail.
        this.log.warn('bad visitor config', { device: key, property: p.name, error: (err as Error).message });
      }
    }
    await this.disconnect(device);
    const entry = this.open(key, endpoint);
    try {
      await entry.client.connect();
      entry.health = 'ok';
    } catch (err) {
      // Not fatal: the device may come up later, and every read reconnects.
      entry.health = 'offline';
      this.log.warn('device unreachable', { device: key, address: entry.client.address, error: (err as Error).message });
    }
  }

  async read(device: MapperDevice, property: MapperProperty): Promise<string> {
    const entry = this.entryOf(device);
    const visitor = parseVisitor(property.visitor);
    const type = property.type.toLowerCase();
    return this.track(entry, async () => {
      const { client } = entry;
      switch (visitor.register) {
        case 'CoilRegister':
          return bitsToValue(await client.readCoils(visitor.offset, visitor.limit), visitor, type, property.name);
        case 'DiscreteInputRegister':
          return bitsToValue(await client.readDiscreteInputs(visitor.offset, visitor.limit), visitor, type, property.name);
        case 'HoldingRegister':
          return registersToValue(await client.readHoldingRegisters(visitor.offset, visitor.limit), visitor, type, property.name);
        case 'InputRegister':
          return registersToValue(await client.readInputRegisters(visitor.offset, visitor.limit), visitor, type, property.name);
      }
    });
  }

  async write(device: MapperDevice, property: MapperProperty, value: string): Promise<void> {
    const entry = this.entryOf(device);
    const visitor = parseVisitor(property.visitor);
    checkWritable(property, visitor);
    const type = property.type.toLowerCase();
    // Convert before touching the wire so a bad value never half-writes.
    if (visitor.register === 'CoilRegister') {
      const bits = valueToBits(value, visitor, type, property.name);
      await this.track(entry, () => (bits.length === 1
        ? entry.client.writeSingleCoil(visitor.offset, bits[0] === true)
        : entry.client.writeMultipleCoils(visitor.offset, bits)));
      return;
    }
    const registers = valueToRegisters(value, visitor, type, property.name);
    await this.track(entry, () => (registers.length === 1
      ? entry.client.writeSingleRegister(visitor.offset, registers[0] ?? 0)
      : entry.client.writeMultipleRegisters(visitor.offset, registers)));
  }

  async disconnect(device: MapperDevice): Promise<void> {
    const key = keyOf(device);
    const entry = this.devices.get(key);
    if (entry === undefined) return;
    this.devices.delete(key);
    await entry.client.close();
  }

  async state(device: MapperDevice): Promise<string> {
    const entry = this.devices.get(keyOf(device));
    if (entry === undefined) return 'unknown';
    if (entry.health === 'unknown' && entry.client.connectionState === 'connected') return 'ok';
    return entry.health;
  }

  private open(key: string, endpoint: ModbusEndpoint): DeviceEntry {
    const clientOptions: ModbusTcpClientOptions = {
      host: endpoint.host,
      port: endpoint.port,
      unitId: endpoint.unitId,
      log: this.log.child(key),
      ...(this.opts.timeoutMs !== undefined ? { timeoutMs: this.opts.timeoutMs } : {}),
      ...(this.opts.reconnectDelayMs !== undefined ? { reconnectDelayMs: this.opts.reconnectDelayMs } : {}),
      ...(this.opts.now !== undefined ? { now: this.opts.now } : {}),
    };
    const entry: DeviceEntry = { endpoint, client: new ModbusTcpClient(clientOptions), health: 'unknown' };
    this.devices.set(key, entry);
    return entry;
  }

  /** The device's entry; one is opened lazily if the SDK reads before connect (it should not). */
  private entryOf(device: MapperDevice): DeviceEntry {
    const key = keyOf(device);
    return this.devices.get(key) ?? this.open(key, parseEndpoint(device.protocol.configData));
  }

  /** Runs one exchange and records what it says about the device's health. */
  private async track<T>(entry: DeviceEntry, exchange: () => Promise<T>): Promise<T> {
    try {
      const out = await exchange();
      entry.health = 'ok';
      return out;
    } catch (err) {
      if (err instanceof ModbusTimeoutError || err instanceof ModbusConnectionError) entry.health = 'offline';
      else if (err instanceof ModbusFrameError) entry.health = 'unhealthy';
      else entry.health = 'ok'; // an exception response or a value error: the device itself answered
      throw err;
    }
  }
}

function checkWritable(property: MapperProperty, visitor: ModbusVisitor): void {
  if (isReadOnly(visitor.register)) {
    throw new ModbusValueError('read_only', property.name, `property ${property.name}: ${visitor.register} is read-only in Modbus; only CoilRegister and HoldingRegister can be written`);
  }
  if (property.accessMode === 'ReadOnly') {
    throw new ModbusValueError('read_only', property.name, `property ${property.name} is ReadOnly in its device model`);
  }
}

function keyOf(device: MapperDevice): string {
  return `${device.namespace}/${device.name}`;
}
