import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOsProbe, goArch, parseLoadavgTasks, parseMeminfo, parseOsRelease, pickInternalIPv4 } from './os-probe.js';

describe('os probe parsers', () => {
  test('meminfo, loadavg, os-release', () => {
    const mem = parseMeminfo('MemTotal:       16318504 kB\nMemFree:  1 kB\nMemAvailable:   12000000 kB\n');
    assert.deepEqual(mem, { totalKi: 16318504, availableKi: 12000000 });
    assert.equal(parseLoadavgTasks('0.52 0.58 0.59 3/1234 56789\n'), 1234);
    assert.equal(parseOsRelease('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(parseOsRelease(''), 'Linux');
  });

  test('InternalIP is the first non-internal IPv4; arch names are Go names', () => {
    const lo = { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '', internal: true, cidr: null };
    const v6 = { address: 'fe80::1', netmask: 'ffff::', family: 'IPv6' as const, mac: '', internal: false, cidr: null, scopeid: 1 };
    const eth = { address: '10.1.2.3', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '', internal: false, cidr: null };
    assert.equal(pickInternalIPv4({ lo: [lo], eth0: [v6, eth] }), '10.1.2.3');
    assert.equal(pickInternalIPv4({ lo: [lo] }), undefined);
    assert.equal(goArch('x64'), 'amd64');
    assert.equal(goArch('arm64'), 'arm64');
  });
});

describe('createOsProbe on this machine', () => {
  test('reports real, plausible facts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kets-probe-'));
    try {
      const f = createOsProbe({ dataDir: dir })();
      assert.ok(f.cpuCores >= 1);
      assert.ok(f.memoryTotalKi > 0 && f.memoryAvailableKi <= f.memoryTotalKi);
      assert.ok(f.storageTotalBytes > 0 && f.storageAvailableBytes <= f.storageTotalBytes);
      assert.ok(f.pidMax > 0 && f.pidsInUse > 0);
      assert.equal(f.os.operatingSystem, process.platform);
      assert.ok(f.os.kernelVersion.length > 0);
      assert.equal(createOsProbe({ dataDir: dir, nodeIP: '192.0.2.7' })().internalIP, '192.0.2.7');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
