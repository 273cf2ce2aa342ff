import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CriLineSplitter, formatCriLogLine, formatLogTimestamp, MAX_LOG_LINE_BYTES, type LogPiece } from './cri-log.js';

const show = (pieces: LogPiece[]) => pieces.map((p) => `${p.tag}:${p.content.toString()}`);

test('timestamps are RFC3339 with nine fraction digits in UTC', () => {
  assert.equal(formatLogTimestamp(Date.UTC(2025, 0, 2, 3, 4, 5, 67)), '2025-01-02T03:04:05.067000000Z');
});

test('a line is "<time> <stream> <tag> <text>\\n"', () => {
  const line = formatCriLogLine('2025-01-02T03:04:05.067000000Z', 'stderr', { tag: 'F', content: Buffer.from('boom') });
  assert.equal(line.toString(), '2025-01-02T03:04:05.067000000Z stderr F boom\n');
});

test('full lines, lines across chunks and empty lines', () => {
  const s = new CriLineSplitter();
  assert.deepEqual(show(s.push(Buffer.from('one\ntw'))), ['F:one']);
  assert.deepEqual(show(s.push(Buffer.from('o\n\nthr'))), ['F:two', 'F:']);
  assert.deepEqual(show(s.push(Buffer.from('ee\n'))), ['F:three']);
  assert.deepEqual(s.end(), []);
});

test('text left without a newline at the end is a partial line', () => {
  const s = new CriLineSplitter();
  assert.deepEqual(show(s.push(Buffer.from('done\nno newline'))), ['F:done']);
  assert.deepEqual(show(s.end()), ['P:no newline']);
});

test('a line longer than 16 KiB is cut into 16 KiB partial pieces; exactly 16 KiB stays whole', () => {
  const s = new CriLineSplitter();
  const long = 'a'.repeat(MAX_LOG_LINE_BYTES * 2 + 5);
  const pieces = [...s.push(Buffer.from(long.slice(0, 20000))), ...s.push(Buffer.from(`${long.slice(20000)}\n`))];
  assert.deepEqual(pieces.map((p) => [p.tag, p.content.length]), [['P', MAX_LOG_LINE_BYTES], ['P', MAX_LOG_LINE_BYTES], ['F', 5]]);
  const exact = new CriLineSplitter().push(Buffer.from(`${'b'.repeat(MAX_LOG_LINE_BYTES)}\n`));
  assert.deepEqual(exact.map((p) => [p.tag, p.content.length]), [['F', MAX_LOG_LINE_BYTES]]);
});

test('a smaller limit cuts where told', () => {
  const s = new CriLineSplitter(4);
  assert.deepEqual(show(s.push(Buffer.from('abcdefghij\n'))), ['P:abcd', 'P:efgh', 'F:ij']);
});
