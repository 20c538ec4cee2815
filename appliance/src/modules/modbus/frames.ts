// Pure parsing of captured Modbus frames (TCP ADU and RTU ADU) into the PDU fields the decoder needs.
import { OutpostError } from '../../core/index.ts';

/** CRC-16/MODBUS (MODBUS over Serial Line V1.02 §6.2.2): poly 0xA001 reflected, init 0xFFFF, low byte first on the wire. */
export function crc16(buf: Uint8Array): number {
  let crc = 0xffff;
  for (const b of buf) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export interface Adu { unit: number; pdu: Buffer; transactionId?: number }

const bad = (msg: string) => new OutpostError('OUTPOST_MODBUS_DECODE', msg);

/** MBAP header (MODBUS Messaging on TCP/IP V1.0b §3.1.3): transaction id, protocol 0, length, unit id, then the PDU. */
export function parseTcpAdu(hex: string): Adu {
  const b = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  if (b.length < 8) throw bad(`TCP frame of ${b.length} bytes is shorter than MBAP + function code`);
  if (b.readUInt16BE(2) !== 0) throw bad('MBAP protocol id must be 0 (Modbus)');
  const len = b.readUInt16BE(4);
  if (len !== b.length - 6) throw bad(`MBAP length ${len} does not match the ${b.length - 6} bytes that follow`);
  return { transactionId: b.readUInt16BE(0), unit: b[6], pdu: b.subarray(7) };
}

/** RTU ADU (Serial Line V1.02 §2.5.1): address, PDU, CRC low byte first. */
export function parseRtuAdu(hex: string): Adu {
  const b = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  if (b.length < 4) throw bad(`RTU frame of ${b.length} bytes is too short`);
  const crc = crc16(b.subarray(0, b.length - 2));
  if (crc !== b.readUInt16LE(b.length - 2)) throw bad(`RTU CRC ${b.readUInt16LE(b.length - 2).toString(16)} should be ${crc.toString(16)}`);
  return { unit: b[0], pdu: b.subarray(1, b.length - 2) };
}

export interface ReadRequest { fc: number; address: number; count: number }
/** FC1-4 request PDU (§6.1-6.4): function code, starting address, quantity. */
export function parseReadRequest(pdu: Buffer): ReadRequest {
  if (pdu.length !== 5 || pdu[0] < 1 || pdu[0] > 4) throw bad(`not a read request PDU (fc ${pdu[0]}, ${pdu.length} bytes)`);
  return { fc: pdu[0], address: pdu.readUInt16BE(1), count: pdu.readUInt16BE(3) };
}

/** FC1-4 response PDU: byte count then data, or an exception (fc | 0x80, code) per §7. */
export function parseReadResponse(pdu: Buffer, count: number): { fc: number; words?: number[]; bits?: boolean[]; exception?: number } {
  const fc = pdu[0];
  if (fc & 0x80) return { fc: fc & 0x7f, exception: pdu[1] };
  const n = pdu[1];
  if (pdu.length !== n + 2) throw bad(`byte count ${n} does not match the ${pdu.length - 2} data bytes`);
  if (fc === 1 || fc === 2) {
    const bits: boolean[] = [];
    for (let i = 0; i < count; i++) bits.push(((pdu[2 + (i >> 3)] >> (i & 7)) & 1) === 1);
    return { fc, bits };
  }
  const words: number[] = [];
  for (let i = 0; i < n / 2; i++) words.push(pdu.readUInt16BE(2 + i * 2));
  return { fc, words };
}
