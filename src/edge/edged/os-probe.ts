// Reads the node's real facts from the operating system: node:os, /proc/meminfo, /proc/loadavg,
// statfs of the data dir, /etc/os-release, /etc/machine-id, /proc/sys/kernel/random/boot_id.
// The identity facts (os-release, machine and boot ids, kernel) are read once; the rest every probe.
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import type { NodeFacts, NodeOsInfo } from './node-facts.js';

export interface OsProbeOptions {
  /** Directory whose file system is reported as ephemeral-storage (edgecore's data dir). */
  dataDir: string;
  /** Overrides the detected InternalIP (edged.tailoredKubeletFlag.nodeIP). */
  nodeIP?: string;
}

/** A probe of this machine. Throws only if statfs of the data dir fails (a misconfigured dir). */
export function createOsProbe(opts: OsProbeOptions): () => NodeFacts {
  let identity: NodeOsInfo | undefined;
  return () => {
    identity ??= readOsInfo();
    const mem = parseMeminfo(readText('/proc/meminfo'));
    const fs = statfsSync(opts.dataDir);
    return {
      cpuCores: Math.max(1, os.cpus().length),
      memoryTotalKi: mem.totalKi || Math.floor(os.totalmem() / 1024),
      memoryAvailableKi: mem.availableKi ?? Math.floor(os.freemem() / 1024),
      storageTotalBytes: fs.blocks * fs.bsize,
      storageAvailableBytes: fs.bavail * fs.bsize,
      pidMax: Number(readText('/proc/sys/kernel/pid_max').trim()) || 32768,
      pidsInUse: parseLoadavgTasks(readText('/proc/loadavg')),
      internalIP: opts.nodeIP || pickInternalIPv4(os.networkInterfaces()),
      os: identity,
    };
  };
}

function readOsInfo(): NodeOsInfo {
  return {
    machineID: readText('/etc/machine-id').trim(),
    systemUUID: readText('/sys/class/dmi/id/product_uuid').trim(),
    bootID: readText('/proc/sys/kernel/random/boot_id').trim(),
    kernelVersion: os.release(),
    osImage: parseOsRelease(readText('/etc/os-release')),
    operatingSystem: goOs(process.platform),
    architecture: goArch(process.arch),
  };
}

/** A file's text, or '' when it is absent or unreadable (containers lack some of these files). */
function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** MemTotal and MemAvailable in KiB (0 / undefined when absent). */
export function parseMeminfo(text: string): { totalKi: number; availableKi: number | undefined } {
  const field = (name: string): number | undefined => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  return { totalKi: field('MemTotal') ?? 0, availableKi: field('MemAvailable') };
}

/** The total in "running/total" of /proc/loadavg: every thread that exists holds a pid. */
export function parseLoadavgTasks(text: string): number {
  const m = /\s\d+\/(\d+)\s/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** PRETTY_NAME (unquoted) as kubelet reports osImage; "Linux" when the file says nothing. */
export function parseOsRelease(text: string): string {
  const m = /^PRETTY_NAME=(.*)$/m.exec(text);
  if (!m) return 'Linux';
  return (m[1] as string).trim().replace(/^(["'])(.*)\1$/, '$2');
}

/** The first non-internal IPv4 address, interfaces in the order the OS lists them. */
export function pickInternalIPv4(ifaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): string | undefined {
  for (const list of Object.values(ifaces)) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return undefined;
}

/** Node's process.arch → Go's GOARCH, which Kubernetes labels and nodeInfo use. */
export function goArch(arch: string): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips: 'mips', mipsel: 'mipsle' };
  return map[arch] ?? arch;
}

/** Node's process.platform → Go's GOOS. */
export function goOs(platform: string): string {
  return platform === 'win32' ? 'windows' : platform;
}
