// Pure value codec: registers -> engineering value and back, with word/byte order, bit fields, scale and offset.
import { OutpostError } from '../../core/index.ts';
import { WORDS, type RegisterPoint } from './register-map.ts';

/** Puts the registers in big-endian order (most significant word first, high byte first). */
function toBigEndian(p: RegisterPoint, words: readonly number[]): Buffer {
  const n = WORDS[p.type];
  if (words.length < n) throw new OutpostError('OUTPOST_MODBUS_DECODE', `point "${p.key}" needs ${n} registers, got ${words.length}`);
  const ordered = p.wordOrder === 'little' ? words.slice(0, n).reverse() : words.slice(0, n);
  const buf = Buffer.alloc(n * 2);
  ordered.forEach((w, i) => {
    const v = w & 0xffff;
    if (p.byteOrder === 'little') buf.writeUInt16LE(v, i * 2); else buf.writeUInt16BE(v, i * 2);
  });
  return buf;
}

/** The raw value of the registers before scale and offset (bigint for the 64-bit integers). */
function rawValue(p: RegisterPoint, b: Buffer): number | bigint {
  switch (p.type) {
    case 'int16': return b.readInt16BE(0);
    case 'uint16': return b.readUInt16BE(0);
    case 'int32': return b.readInt32BE(0);
    case 'uint32': return b.readUInt32BE(0);
    case 'float32': return b.readFloatBE(0);
    case 'int64': return b.readBigInt64BE(0);
    case 'uint64': return b.readBigUInt64BE(0);
    case 'float64': return b.readDoubleBE(0);
    default: throw new OutpostError('OUTPOST_MODBUS_DECODE', `point "${p.key}": type ${p.type} is not a register type`);
  }
}

/** Registers (uint16 each, as read) or one coil/discrete bit -> the point's engineering value. */
export function decodePoint(p: RegisterPoint, words: readonly number[] | readonly boolean[]): number {
  let raw: number | bigint;
  if (p.type === 'bool') {
    raw = words[0] ? 1 : 0;
  } else {
    raw = rawValue(p, toBigEndian(p, words as number[]));
    if (p.bits) {
      // Bit fields are taken from the unsigned pattern, whatever the declared signedness.
      const width = BigInt(WORDS[p.type] * 16);
      const pattern = BigInt.asUintN(Number(width), BigInt(typeof raw === 'bigint' ? raw : Math.trunc(raw)));
      raw = Number((pattern >> BigInt(p.bits.start)) & ((1n << BigInt(p.bits.length)) - 1n));
    }
  }
  const n = typeof raw === 'bigint' ? Number(raw) : raw;
  const v = n * (p.scale ?? 1) + (p.offset ?? 0);
  if (p.type === 'float32' || p.type === 'float64') return v;
  // An integer register with scale 0.1 holds an exact decimal ("x10"): drop binary artefacts (-5.300000000000001).
  const places = Math.max(decimals(p.scale), decimals(p.offset));
  return places ? Number(v.toFixed(places)) : v;
}

const decimals = (x: number | undefined): number => {
  if (x === undefined || Number.isInteger(x)) return 0;
  const m = /(?:\.(\d+))?(?:e-(\d+))?$/.exec(String(x));
  return Math.min(15, (m?.[1]?.length ?? 0) + Number(m?.[2] ?? 0));
};

/** The enum label of a decoded value, if the point has one. */
export const labelOf = (p: RegisterPoint, value: number): string | undefined => p.enum?.[String(value)];

const INT_RANGE: Record<string, [number, number]> = {
  int16: [-0x8000, 0x7fff], uint16: [0, 0xffff], int32: [-0x80000000, 0x7fffffff], uint32: [0, 0xffffffff],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], uint64: [0, Number.MAX_SAFE_INTEGER],
};

/** Engineering value -> registers as the device wants them (the inverse of decodePoint), or a bit for coils. */
export function encodePoint(p: RegisterPoint, value: number): number[] | boolean {
  if (!Number.isFinite(value)) throw new OutpostError('OUTPOST_MODBUS_VALUE', `point "${p.key}": ${value} is not a finite number`);
  if (p.type === 'bool') {
    if (value !== 0 && value !== 1) throw new OutpostError('OUTPOST_MODBUS_VALUE', `point "${p.key}" is a coil: write 0 or 1, not ${value}`);
    return value === 1;
  }
  if (p.bits) throw new OutpostError('OUTPOST_MODBUS_VALUE', `point "${p.key}" is a bit field of a register; write the whole register instead`);
  const raw = (value - (p.offset ?? 0)) / (p.scale ?? 1);
  const n = WORDS[p.type];
  const b = Buffer.alloc(n * 2);
  if (p.type === 'float32') b.writeFloatBE(raw, 0);
  else if (p.type === 'float64') b.writeDoubleBE(raw, 0);
  else {
    const r = Math.round(raw);
    const [lo, hi] = INT_RANGE[p.type];
    if (r < lo || r > hi) throw new OutpostError('OUTPOST_MODBUS_VALUE', `point "${p.key}": ${value} is raw ${r}, outside ${p.type} [${lo}, ${hi}]`);
    if (p.type === 'int16') b.writeInt16BE(r, 0);
    else if (p.type === 'uint16') b.writeUInt16BE(r, 0);
    else if (p.type === 'int32') b.writeInt32BE(r, 0);
    else if (p.type === 'uint32') b.writeUInt32BE(r, 0);
    else if (p.type === 'int64') b.writeBigInt64BE(BigInt(r), 0);
    else b.writeBigUInt64BE(BigInt(r), 0);
  }
  const words: number[] = [];
  for (let i = 0; i < n; i++) words.push(p.byteOrder === 'little' ? b.readUInt16LE(i * 2) : b.readUInt16BE(i * 2));
  return p.wordOrder === 'little' ? words.reverse() : words;
}
