import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogAssembler, parseCriLine, parseTimestampMs } from './cri-log.js';
import { readContainerLog } from './read-container-log.js';
import { findTailOffset } from './tail-offset.js';

const dir = mkdtempSync(join(tmpdir(), 'kets-logs-'));
let n = 0;
function logFile(text: string): string {
  const p = join(dir, `${n++}.log`);
  writeFileSync(p, text);
  return p;
}

async function readAll(path: string, opts: Parameters<typeof readContainerLog>[1], signal = new AbortController().signal): Promise<string> {
  let out = '';
  for await (const chunk of readContainerLog(path, opts, signal)) out += chunk.toString('utf8');
  return out;
}

const entries = [
  '2024-05-01T10:00:00.000000001Z stdout F one',
  '2024-05-01T10:00:01.5Z stderr F two',
  '2024-05-01T10:00:02Z stdout P thr',
  '2024-05-01T10:00:02.1Z stdout P e',
  '2024-05-01T10:00:02.2Z stdout F e',
  '2024-05-01T12:00:03+02:00 stdout F four',
].join('\n') + '\n';

describe('edged/logs: CRI log format', () => {
  test('parses lines and rejects other text', () => {
    const e = parseCriLine(Buffer.from('2024-05-01T10:00:00Z stderr P:x hello world'));
    assert.deepEqual({ ...e, content: e?.content.toString() }, { timestamp: '2024-05-01T10:00:00Z', stream: 'stderr', partial: true, content: 'hello world' });
    assert.equal(parseCriLine(Buffer.from('2024-05-01T10:00:00Z stdout F '))?.content.length, 0);
    assert.equal(parseCriLine(Buffer.from('2024-05-01T10:00:00Z stdout F'))?.content.length, 0);
    assert.equal(parseCriLine(Buffer.from('plain text line')), undefined);
    assert.equal(parseCriLine(Buffer.from('2024-05-01T10:00:00Z stdin F x')), undefined);
  });

  test('timestamps parse with nanoseconds and zones', () => {
    assert.equal(parseTimestampMs('2024-05-01T10:00:00.001500Z'), Date.parse('2024-05-01T10:00:00Z') + 1.5);
    assert.equal(parseTimestampMs('2024-05-01T12:00:00+02:00'), Date.parse('2024-05-01T10:00:00Z'));
    assert.ok(Number.isNaN(parseTimestampMs('yesterday')));
  });

  test('the assembler joins partial entries across pushes and prefixes timestamps', () => {
    const asm = new LogAssembler({ timestamps: true });
    const a = asm.push(Buffer.from('2024-05-01T10:00:00Z stdout P ab'));
    const b = asm.push(Buffer.from('c\n2024-05-01T10:00:01Z stdout F de\n2024-05-01T10:00:02Z stdout F f'));
    assert.equal(a.toString() + b.toString(), '2024-05-01T10:00:00Z abcde\n');
    assert.equal(asm.end().toString(), '2024-05-01T10:00:02Z f\n');
  });
});

describe('edged/logs: readContainerLog', () => {
  test('reads everything, joining P entries and skipping malformed lines', async () => {
    const p = logFile(`${entries}garbage\n`);
    assert.equal(await readAll(p, { follow: false, timestamps: false }), 'one\ntwo\nthree\nfour\n');
  });

  test('timestamps as kubelet prints them', async () => {
    const out = await readAll(logFile(entries), { follow: false, timestamps: true, tailLines: 2 });
    assert.equal(out, '2024-05-01T10:00:02Z three\n2024-05-01T12:00:03+02:00 four\n');
  });

  test('tail counts joined entries; 0 gives nothing; more than there are gives all', async () => {
    const p = logFile(entries);
    assert.equal(await readAll(p, { follow: false, timestamps: false, tailLines: 1 }), 'four\n');
    assert.equal(await readAll(p, { follow: false, timestamps: false, tailLines: 3 }), 'two\nthree\nfour\n');
    assert.equal(await readAll(p, { follow: false, timestamps: false, tailLines: 0 }), '');
    assert.equal(await readAll(p, { follow: false, timestamps: false, tailLines: 50 }), 'one\ntwo\nthree\nfour\n');
  });

  test('tail reads backwards across chunk boundaries of a large file', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(`2024-05-01T10:00:00.${String(i).padStart(9, '0')}Z stdout F line ${i} ${'x'.repeat(i % 50)}`);
    const p = logFile(lines.join('\n') + '\n');
    const out = await readAll(p, { follow: false, timestamps: false, tailLines: 5000 });
    const got = out.trimEnd().split('\n');
    assert.equal(got.length, 5000);
    assert.equal(got[0], `line 15000 ${'x'.repeat(15000 % 50)}`);
    const fh = await open(p, 'r');
    const size = (await fh.stat()).size;
    assert.equal(await findTailOffset(fh, size, 20_000), 0);
    assert.equal(await findTailOffset(fh, size, 1), size - lines[19_999]!.length - 1);
    await fh.close();
  });

  test('since drops older entries; limitBytes cuts the output', async () => {
    const p = logFile(entries);
    assert.equal(await readAll(p, { follow: false, timestamps: false, sinceTime: '2024-05-01T10:00:01.5Z' }), 'two\nthree\nfour\n');
    assert.equal(await readAll(p, { follow: false, timestamps: false, sinceSeconds: 10, now: () => Date.parse('2024-05-01T10:00:11Z') }), 'two\nthree\nfour\n');
    assert.equal(await readAll(p, { follow: false, timestamps: false, limitBytes: 6 }), 'one\ntw');
  });

  test('follow streams appended entries and ends once the container stopped and the file is drained', async () => {
    const p = logFile('2024-05-01T10:00:00Z stdout F first\n');
    let running = true;
    const seen: string[] = [];
    let sawFirst: () => void = () => undefined;
    const first = new Promise<void>((r) => { sawFirst = r; });
    const reader = (async () => {
      for await (const c of readContainerLog(p, { follow: true, timestamps: false, isRunning: () => running, pollMs: 20 }, new AbortController().signal)) {
        seen.push(c.toString());
        if (seen.join('') === 'first\n') sawFirst();
        if (seen.join('').endsWith('second\n')) {
          appendFileSync(p, '2024-05-01T10:00:02Z stdout F last\n');
          running = false;
        }
      }
    })();
    await first;
    appendFileSync(p, '2024-05-01T10:00:01Z stdout P sec');
    await new Promise((r) => setTimeout(r, 30));
    appendFileSync(p, '\n2024-05-01T10:00:01Z stdout F ond\n');
    await reader;
    assert.equal(seen.join(''), 'first\nsecond\nlast\n');
  });

  test('follow ends when the signal aborts', async () => {
    const p = logFile('2024-05-01T10:00:00Z stdout F only\n');
    const ac = new AbortController();
    let out = '';
    for await (const c of readContainerLog(p, { follow: true, timestamps: false, pollMs: 20 }, ac.signal)) {
      out += c.toString();
      ac.abort();
    }
    assert.equal(out, 'only\n');
  });
});
