// One device's access through its driver: driver calls run one at a time (a promise chain), the
// connection is reopened with backoff, reads keep the latest value per property, and desired values are
// written once per change (retried with backoff when the device refuses). Driver errors are caught here.
import type { Logger } from '../../core/index.js';
import { backoffDelay, DEVICE_BACKOFF } from './backoff.js';
import { DriverError, errorMessage } from './errors.js';
import type { DeviceDriver, MapperDevice, MapperProperty } from './types.js';

export type ConnectionState = 'disconnected' | 'connected' | 'stopped';

export interface Reading {
  value: string;
  /** Milliseconds since the epoch (the injected clock). */
  at: number;
}

interface WriteRetry {
  value: string;
  attempts: number;
  notBefore: number;
}

export class DeviceIo {
  device: MapperDevice;
  conn: ConnectionState = 'disconnected';
  readonly readings = new Map<string, Reading>();
  private chain: Promise<unknown> = Promise.resolve();
  private connectAttempts = 0;
  private nextConnectAt = 0;
  private readonly written = new Map<string, string>();
  private readonly writeRetries = new Map<string, WriteRetry>();
  private readonly failingReads = new Set<string>();

  constructor(
    device: MapperDevice,
    private readonly driver: DeviceDriver,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {
    this.device = device;
  }

  /** Runs `fn` after every driver call queued before it; never concurrently for this device. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Waits for queued driver calls, at most `ms` (a hung device must not block stop). */
  async drain(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.chain, new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  /** Inside serial(): opens the device unless open, stopped, or still backing off. */
  async ensureConnected(): Promise<boolean> {
    if (this.conn === 'connected') return true;
    if (this.conn === 'stopped' || Date.now() < this.nextConnectAt) return false;
    try {
      await this.driver.connect(this.device);
      if ((this.conn as ConnectionState) === 'stopped') return false;
      this.conn = 'connected';
      this.connectAttempts = 0;
      this.log.info('device connected', { device: this.id });
      return true;
    } catch (err) {
      const delay = backoffDelay(this.connectAttempts++, DEVICE_BACKOFF);
      this.nextConnectAt = Date.now() + delay;
      this.log.warn('device connect failed', { device: this.id, retryInMs: delay, error: errorMessage(err) });
      return false;
    }
  }

  /** Inside serial(): closes the device if open (`device`: the one it was opened as); errors are logged. */
  async disconnect(device: MapperDevice = this.device): Promise<void> {
    const wasOpen = this.conn === 'connected';
    if (this.conn !== 'stopped') this.conn = 'disconnected';
    if (!wasOpen) return;
    try {
      await this.driver.disconnect(device);
    } catch (err) {
      this.log.warn('device disconnect failed', { device: this.id, error: errorMessage(err) });
    }
  }

  /** Inside serial(): a poll's read; failures are logged, and the last value is kept. */
  async read(p: MapperProperty): Promise<void> {
    await this.readValue(p).catch(() => undefined);
  }

  /** Inside serial(): reads a property and keeps the value; logs and rethrows what the driver threw. */
  async readValue(p: MapperProperty): Promise<Reading> {
    try {
      const value = await this.driver.read(this.device, p);
      const reading = { value: String(value), at: this.now() };
      this.readings.set(p.name, reading);
      if (this.failingReads.delete(p.name)) this.log.info('device read recovered', { device: this.id, property: p.name });
      return reading;
    } catch (err) {
      if (err instanceof DriverError && err.code === 'not_connected') this.conn = 'disconnected';
      // The first failure of a run is a warning; repeats every cycle would drown the log.
      const level = this.failingReads.has(p.name) ? 'debug' : 'warn';
      this.failingReads.add(p.name);
      this.log[level]('device read failed', { device: this.id, property: p.name, error: errorMessage(err) });
      throw err;
    }
  }

  /** Inside serial(): a client's write (a device method call); not retried, rethrows what the driver threw. */
  async writeValue(p: MapperProperty, value: string): Promise<void> {
    try {
      await this.driver.write(this.device, p, value);
      this.log.info('method value written', { device: this.id, property: p.name, value });
    } catch (err) {
      if (err instanceof DriverError && err.code === 'not_connected') this.conn = 'disconnected';
      this.log.warn('method value write failed', { device: this.id, property: p.name, error: errorMessage(err) });
      throw err;
    }
  }

  /** Inside serial(): writes the desired value of a ReadWrite property when it differs from the last one written. */
  async writeDesired(p: MapperProperty): Promise<void> {
    const value = p.desired;
    if (p.accessMode !== 'ReadWrite' || value === undefined || this.written.get(p.name) === value) return;
    const retry = this.writeRetries.get(p.name);
    if (retry && retry.value === value && Date.now() < retry.notBefore) return;
    try {
      await this.driver.write(this.device, p, value);
      this.written.set(p.name, value);
      this.writeRetries.delete(p.name);
      this.log.info('desired value written', { device: this.id, property: p.name, value });
    } catch (err) {
      const attempts = retry && retry.value === value ? retry.attempts + 1 : 0;
      const delay = backoffDelay(attempts, DEVICE_BACKOFF);
      this.writeRetries.set(p.name, { value, attempts, notBefore: Date.now() + delay });
      this.log.warn('desired value write failed', { device: this.id, property: p.name, retryInMs: delay, error: errorMessage(err) });
    }
  }

  /** Forgets what it knew of properties the device no longer has. */
  retain(names: ReadonlySet<string>): void {
    for (const name of [...this.readings.keys()]) if (!names.has(name)) this.readings.delete(name);
    for (const name of [...this.failingReads]) if (!names.has(name)) this.failingReads.delete(name);
  }

  /** A new device (other protocol config): desired values are written again. */
  forgetWrites(): void {
    this.written.clear();
    this.writeRetries.clear();
  }

  /** The device state for ReportDeviceStates: the driver's own, else ok/offline from the connection and the last reads. */
  async state(): Promise<string> {
    if (this.driver.state) {
      try {
        return await this.driver.state(this.device);
      } catch (err) {
        this.log.debug('device state failed', { device: this.id, error: errorMessage(err) });
        return 'unknown';
      }
    }
    // Offline when closed, or when every property's last read failed.
    const all = this.device.properties.length;
    return this.conn === 'connected' && (all === 0 || this.failingReads.size < all) ? 'ok' : 'offline';
  }

  get id(): string {
    return `${this.device.namespace}/${this.device.name}`;
  }
}
