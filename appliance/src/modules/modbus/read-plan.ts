// Pure read planner: a device's points -> the fewest block reads (contiguous registers coalesced across small gaps).
import { READ_FC, WORDS, type RegisterPoint, type Table } from './register-map.ts';

/** Quantity limits per request, MODBUS Application Protocol V1.1b3 §6.1-6.4: 2000 bits (FC1/2), 125 registers (FC3/4). */
export const MAX_BITS = 2000;
export const MAX_REGISTERS = 125;

export interface PlanOptions {
  /** Unused registers (or bits) a block may span to join two neighbours; 0 merges only touching ones. */
  maxGap: number;
  maxRegisters?: number;
  maxBits?: number;
}

export interface ReadBlock {
  table: Table;
  fc: 1 | 2 | 3 | 4;
  address: number;
  count: number;
  /** Indexes into the points given to planReads, each read from this block. */
  points: number[];
}

export function planReads(points: readonly RegisterPoint[], opts: PlanOptions): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  const order = points.map((p, i) => i).sort((a, b) => {
    const pa = points[a], pb = points[b];
    return pa.table === pb.table ? pa.address - pb.address : pa.table < pb.table ? -1 : 1;
  });
  let cur: ReadBlock | null = null;
  for (const i of order) {
    const p = points[i];
    const span = WORDS[p.type];
    const limit = p.table === 'coil' || p.table === 'discrete' ? opts.maxBits ?? MAX_BITS : opts.maxRegisters ?? MAX_REGISTERS;
    const end = p.address + span;
    if (cur && cur.table === p.table && p.address - (cur.address + cur.count) <= opts.maxGap && Math.max(end, cur.address + cur.count) - cur.address <= limit) {
      cur.count = Math.max(cur.count, end - cur.address);
      cur.points.push(i);
      continue;
    }
    cur = { table: p.table, fc: READ_FC[p.table], address: p.address, count: span, points: [i] };
    blocks.push(cur);
  }
  return blocks;
}

/** One register per request, as a naive poller would do (the benchmark's baseline). */
export function planNaive(points: readonly RegisterPoint[]): ReadBlock[] {
  return points.map((p, i) => ({ table: p.table, fc: READ_FC[p.table], address: p.address, count: WORDS[p.type], points: [i] }));
}
