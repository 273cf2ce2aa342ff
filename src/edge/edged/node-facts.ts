// What the node status is computed from: one probe of the machine. The OS probe (os-probe.ts) reads
// these from /proc, statfs and node:os; tests inject their own.

/** The parts of v1 NodeSystemInfo that come from the operating system. */
export interface NodeOsInfo {
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  /** PRETTY_NAME from /etc/os-release, as kubelet reports it. */
  osImage: string;
  /** Go's GOOS names: linux, darwin, windows. */
  operatingSystem: string;
  /** Go's GOARCH names: amd64, arm64, arm, ... */
  architecture: string;
}

export interface NodeFacts {
  cpuCores: number;
  /** MemTotal from /proc/meminfo, in KiB. */
  memoryTotalKi: number;
  /** MemAvailable from /proc/meminfo, in KiB. */
  memoryAvailableKi: number;
  /** Size of the file system holding the data dir, in bytes. */
  storageTotalBytes: number;
  /** Bytes available to unprivileged users on that file system. */
  storageAvailableBytes: number;
  /** kernel.pid_max. */
  pidMax: number;
  /** Threads and processes that exist now (from /proc/loadavg). */
  pidsInUse: number;
  /** First non-internal IPv4 address (or the configured node IP); undefined when there is none. */
  internalIP: string | undefined;
  os: NodeOsInfo;
}
