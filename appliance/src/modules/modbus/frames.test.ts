// Table tests of frame parsing: MBAP and RTU framing, CRC, read requests and responses, exceptions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc16, parseTcpAdu, parseRtuAdu, parseReadRequest, parseReadResponse } from './frames.ts';

test('CRC-16/MODBUS of the spec example (Serial Line V1.02 appendix B: 01 03 00 00 00 0A -> C5 CD)', () => {
  assert.equal(crc16(Buffer.from('01030000000a', 'hex')), 0xcdc5);
});

test('TCP request and response', () => {
  const req = parseTcpAdu('0001 0000 0006 01 04 0000 0002');
  assert.deepEqual([req.transactionId, req.unit], [1, 1]);
  assert.deepEqual(parseReadRequest(req.pdu), { fc: 4, address: 0, count: 2 });
  const res = parseTcpAdu('0001 0000 0007 01 04 04 4366 0000');
  assert.deepEqual(parseReadResponse(res.pdu, 2), { fc: 4, words: [0x4366, 0] });
});

test('RTU frame with its CRC, and a bad CRC refused with a code', () => {
  const ok = parseRtuAdu('01 03 00 00 00 0a c5 cd');
  assert.deepEqual(parseReadRequest(ok.pdu), { fc: 3, address: 0, count: 10 });
  assert.throws(() => parseRtuAdu('01 03 00 00 00 0a c5 ce'), /OUTPOST_MODBUS_DECODE: RTU CRC/);
});

const RESPONSES: [string, string, number, object][] = [
  ['coils, LSB first (§6.1)', '01 02 cd 01', 10, { fc: 1, bits: [true, false, true, true, false, false, true, true, true, false] }],
  ['exception 02', '83 02', 0, { fc: 3, exception: 2 }],
  ['exception 0B', '84 0b', 0, { fc: 4, exception: 11 }],
];
for (const [name, hex, count, want] of RESPONSES) {
  test(`response: ${name}`, () => assert.deepEqual(parseReadResponse(Buffer.from(hex.replace(/ /g, ''), 'hex'), count), want));
}

test('malformed frames are coded errors', () => {
  assert.throws(() => parseTcpAdu('0001'), /OUTPOST_MODBUS_DECODE/);
  assert.throws(() => parseTcpAdu('0001 0000 0009 01 04 0000 0002'), /MBAP length/);
  assert.throws(() => parseReadResponse(Buffer.from('0304436600', 'hex'), 2), /byte count/);
});
