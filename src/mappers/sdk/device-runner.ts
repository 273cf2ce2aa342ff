// One registered device at work (KubeEdge mapper-framework _template/mapper/device): every property is
// read each collectCycle (desired values written first), twins of properties with reportToCloud are
// reported to edgecore each reportCycle, push methods get the same values, and the device state is
// reported each state reportCycle when the device asks for it. Timers only; driver access is in DeviceIo.
import type { TwinMsg } from '../../api/dmi/index.js';
import type { Logger } from '../../core/index.js';
import { sameProtocol } from './device-spec.js';
import { DeviceIo, type Reading } from './device-io.js';
import { ApiRequestError, DriverError } from './errors.js';
import type { Pusher } from './push.js';
import type { DeviceDriver, MapperDevice, MapperProperty } from './types.js';

/** KubeEdge's DefaultCollectCycle and DefaultReportCycle. */
export const DEFAULT_CYCLE_MS = 1_000;
/** How long stop() waits for a driver call in flight. */
const DRAIN_MS = 5_000;

/** Where reports go; it never rejects (the mapper logs and re-registers on its side). */
export interface DeviceReporter {
  twins(device: MapperDevice, twins: TwinMsg[]): Promise<void>;
  state(device: MapperDevice, state: string): Promise<void>;
}

export interface DeviceRunnerDeps {
  driver: DeviceDriver;
  reporter: DeviceReporter;
  pusher: Pusher;
  log: Logger;
  now: () => number;
}

export class DeviceRunner {
  private readonly io: DeviceIo;
  private timers: NodeJS.Timeout[] = [];
  private readonly polling = new Set<string>();
  /** Reports on their way to edgecore; stop() waits for them so none arrives after it. */
  private readonly sending = new Set<Promise<void>>();
  private stopped = false;

  constructor(device: MapperDevice, private readonly deps: DeviceRunnerDeps) {
    this.io = new DeviceIo(device, deps.driver, deps.log, deps.now);
  }

  get device(): MapperDevice {
    return this.io.device;
  }

  start(): void {
    this.schedule();
  }

  /** UpdateDevice: reconnects only when the protocol config changed; timers follow the new cycles. */
  update(next: MapperDevice): void {
    this.clearTimers();
    const old = this.io.device;
    if (!sameProtocol(old, next)) {
      void this.io.serial(() => this.io.disconnect(old));
      this.io.forgetWrites();
    }
    this.io.device = next;
    this.io.retain(new Set(next.properties.map((p) => p.name)));
    this.schedule();
  }

  /** RemoveDevice or mapper stop: no more timers, then the device is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    await this.io.drain(DRAIN_MS);
    await Promise.all(this.sending);
    await this.io.disconnect();
    this.io.conn = 'stopped';
  }

  lastValues(): Record<string, string> {
    return Object.fromEntries([...this.io.readings].map(([name, r]) => [name, r.value]));
  }

  /**
   * The property's last value read; when there is none yet, one read now, queued behind the runner's own
   * driver calls (a poll queued earlier may bring it). Throws ApiRequestError or what the driver threw.
   */
  async latest(name: string): Promise<Reading> {
    const known = this.io.readings.get(name);
    if (known) return known;
    return this.io.serial(async () => {
      const p = this.openProperty(name);
      const polled = this.io.readings.get(name);
      if (polled) return polled;
      await this.connected();
      return this.io.readValue(p);
    });
  }

  /** A device method's write (HTTP API), serialised with polls and desired writes. Throws like latest(). */
  async write(name: string, value: string): Promise<void> {
    await this.io.serial(async () => {
      const p = this.openProperty(name);
      await this.connected();
      await this.io.writeValue(p, value);
    });
  }

  /** Twins of every property read so far (GetDevice). */
  twins(): TwinMsg[] {
    return this.io.device.properties.flatMap((p) => {
      const r = this.io.readings.get(p.name);
      return r ? [twinOf(p, r)] : [];
    });
  }

  /** Inside serial(): the property as the device has it now (an UpdateDevice may have dropped it). */
  private openProperty(name: string): MapperProperty {
    if (this.stopped) throw new ApiRequestError('not_found', `device ${this.io.id} was removed`);
    const p = this.io.device.properties.find((q) => q.name === name);
    if (!p) throw new ApiRequestError('not_found', `device ${this.io.id} has no property ${name}`);
    return p;
  }

  private async connected(): Promise<void> {
    if (!(await this.io.ensureConnected())) throw new DriverError('not_connected', `device ${this.io.id} is not connected`);
  }

  private schedule(): void {
    const device = this.io.device;
    // A first round at once, so values and desired writes do not wait a whole cycle.
    for (const p of device.properties) this.poll(p.name);
    for (const p of device.properties) this.every(p.collectCycleMs, () => this.poll(p.name));
    for (const [cycle, names] of groupByReportCycle(device.properties)) this.every(cycle, () => this.track(this.report(names)));
    if (device.stateReport.reportToCloud) this.every(device.stateReport.reportCycleMs, () => this.track(this.reportState()));
  }

  private every(cycleMs: number, fn: () => void): void {
    this.timers.push(setInterval(fn, cycleMs > 0 ? cycleMs : DEFAULT_CYCLE_MS));
  }

  private track(p: Promise<void>): void {
    this.sending.add(p);
    void p.finally(() => this.sending.delete(p));
  }

  private clearTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Queues one read (after the desired write) unless one for this property is still queued. */
  private poll(name: string): void {
    if (this.polling.has(name)) return;
    this.polling.add(name);
    void this.io
      .serial(async () => {
        const p = this.io.device.properties.find((q) => q.name === name);
        if (!p || !(await this.io.ensureConnected())) return;
        await this.io.writeDesired(p);
        await this.io.read(p);
      })
      .finally(() => this.polling.delete(name));
  }

  private async report(names: readonly string[]): Promise<void> {
    if (this.stopped) return;
    const { device } = this.io;
    const twins: TwinMsg[] = [];
    const pushes: Promise<void>[] = [];
    for (const p of device.properties) {
      const r = this.io.readings.get(p.name);
      if (!r || !names.includes(p.name)) continue;
      // KubeEdge's mapper reports a twin to edgecore only when the property says reportToCloud.
      if (p.reportToCloud) twins.push(twinOf(p, r));
      if (p.pushMethod) {
        pushes.push(this.deps.pusher.push(p.pushMethod, {
          deviceName: device.name, namespace: device.namespace, propertyName: p.name, value: r.value, type: p.type, timestamp: r.at,
        }));
      }
    }
    if (twins.length > 0) pushes.push(this.deps.reporter.twins(device, twins));
    await Promise.all(pushes);
  }

  private async reportState(): Promise<void> {
    const state = await this.io.serial(() => this.io.state());
    if (!this.stopped) await this.deps.reporter.state(this.io.device, state);
  }
}

function twinOf(p: MapperProperty, r: Reading): TwinMsg {
  const metadata = { timestamp: String(r.at), type: p.type };
  return { propertyName: p.name, reported: { value: r.value, metadata }, observedDesired: { value: p.desired ?? '', metadata } };
}

/** Properties sharing a report cycle share one timer and one ReportDeviceStatus call. */
function groupByReportCycle(props: readonly MapperProperty[]): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const p of props) {
    const cycle = p.reportCycleMs > 0 ? p.reportCycleMs : DEFAULT_CYCLE_MS;
    groups.set(cycle, [...(groups.get(cycle) ?? []), p.name]);
  }
  return groups;
}
