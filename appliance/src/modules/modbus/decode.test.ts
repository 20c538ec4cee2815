// Table tests of the value codec: every type, word and byte order, bit fields, scale/offset, and the round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePoint, encodePoint, labelOf } from './decode.ts';
import type { RegisterPoint } from './register-map.ts';

const P = (over: Partial<RegisterPoint>): RegisterPoint => ({ key: 'x', table: 'holding', address: 0, type: 'uint16', ...over });

const CASES: [string, Partial<RegisterPoint>, number[] | boolean[], number][] = [
  ['uint16', {}, [0xfffe], 65534],
  ['int16 negative', { type: 'int16' }, [0xfffe], -2],
  ['int16 x10 (XY-MD02 temperature)', { type: 'int16', scale: 0.1 }, [0xff9c], -10],
  ['x10 stays an exact decimal (-53 -> -5.3, not -5.300000000000001)', { type: 'int16', scale: 0.1 }, [0xffcb], -5.3],
  ['x100 (VFD output frequency 4998 -> 49.98)', { scale: 0.01 }, [4998], 49.98],
  ['uint16 with scale and offset', { scale: 0.5, offset: -40 }, [100], 10],
  ['int32 big word order', { type: 'int32' }, [0xffff, 0xfffe], -2],
  ['int32 little word order', { type: 'int32', wordOrder: 'little' }, [0xfffe, 0xffff], -2],
  ['uint32 big', { type: 'uint32' }, [0x0001, 0x0000], 65536],
  ['uint32 byte-swapped', { type: 'uint32', byteOrder: 'little' }, [0x0100, 0x0000], 65536],
  ['float32 big (SDM630 230.0 V)', { type: 'float32' }, [0x4366, 0x0000], 230],
  ['float32 word-swapped', { type: 'float32', wordOrder: 'little' }, [0x0000, 0x4366], 230],
  ['float32 both swapped', { type: 'float32', wordOrder: 'little', byteOrder: 'little' }, [0x0000, 0x6643], 230],
  ['int64', { type: 'int64' }, [0xffff, 0xffff, 0xffff, 0xfffd], -3],
  ['uint64 energy counter', { type: 'uint64' }, [0, 0, 0x0001, 0x86a0], 100000],
  ['uint64 little word order', { type: 'uint64', wordOrder: 'little' }, [0x86a0, 0x0001, 0, 0], 100000],
  ['float64', { type: 'float64' }, [0x4009, 0x21fb, 0x5444, 0x2d18], Math.PI],
  ['bit field: bit 3 of a status word', { bits: { start: 3, length: 1 } }, [0b1000], 1],
  ['bit field: bits 0-1 (run state)', { bits: { start: 0, length: 2 } }, [0b1110], 2],
  ['bit field of a signed register uses the pattern', { type: 'int16', bits: { start: 15, length: 1 } }, [0x8000], 1],
  ['coil', { table: 'coil', type: 'bool' }, [true], 1],
  ['discrete off', { table: 'discrete', type: 'bool' }, [false], 0],
];

for (const [name, over, words, want] of CASES) {
  test(`decode ${name}`, () => {
    const got = decodePoint(P(over), words);
    if (over.type?.startsWith('float')) assert.ok(Math.abs(got - want) < 1e-9, `${got} != ${want}`);
    else assert.equal(got, want);
  });
}

test('encode is the inverse of decode for every writable shape', () => {
  for (const [name, over, , want] of CASES) {
    if (over.bits) continue;
    const p = P(over);
    const enc = encodePoint(p, want);
    const dec = decodePoint(p, Array.isArray(enc) ? enc : [enc]);
    assert.ok(Math.abs(dec - want) < 1e-6, `${name}: ${dec} != ${want}`);
  }
});

test('encode refuses what the register cannot hold, with a code', () => {
  assert.throws(() => encodePoint(P({ type: 'int16' }), 40000), /OUTPOST_MODBUS_VALUE: .*outside int16/);
  assert.throws(() => encodePoint(P({ type: 'uint16', scale: 0.1 }), -1), /OUTPOST_MODBUS_VALUE/);
  assert.throws(() => encodePoint(P({ table: 'coil', type: 'bool' }), 2), /write 0 or 1/);
  assert.throws(() => encodePoint(P({ bits: { start: 0, length: 2 } }), 1), /bit field/);
  assert.throws(() => encodePoint(P({}), Number.NaN), /finite/);
});

test('too few registers is a coded decode error, not a crash', () => {
  assert.throws(() => decodePoint(P({ type: 'float32' }), [1]), /OUTPOST_MODBUS_DECODE/);
});

test('enum labels', () => {
  const p = P({ enum: { '0': 'stopped', '1': 'running' } });
  assert.equal(labelOf(p, 1), 'running');
  assert.equal(labelOf(p, 7), undefined);
});
