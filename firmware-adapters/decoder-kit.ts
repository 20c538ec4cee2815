// What each family's decoder.ts uses: its own map.json read beside it, and the box's shared Modbus decoder.
import { readFileSync } from 'node:fs';
import { decodePoint, labelOf, type AdapterFamily } from '../appliance/src/modules/modbus/index.ts';

const FC_TABLE: Record<number, string> = { 1: 'coil', 2: 'discrete', 3: 'holding', 4: 'input' };

export interface BlockResponse { fc: number; address: number; words?: number[]; bits?: boolean[] }
export type Decoded = Record<string, { value: number; label?: string }>;

export function loadMap(folderUrl: string): AdapterFamily {
  return JSON.parse(readFileSync(new URL('./map.json', folderUrl), 'utf8')) as AdapterFamily;
}

/** Every point of the map that lies inside this block response, decoded (pure). */
export function decodeBlock(map: AdapterFamily, res: BlockResponse): Decoded {
  const data = (res.words ?? res.bits ?? []) as number[] | boolean[];
  const out: Decoded = {};
  for (const r of map.registers) {
    if (r.table !== FC_TABLE[res.fc]) continue;
    const off = r.address - res.address;
    if (off < 0 || off + (r.type === 'bool' ? 1 : ({ int16: 1, uint16: 1, int32: 2, uint32: 2, float32: 2 } as Record<string, number>)[r.type] ?? 4) > data.length) continue;
    const value = decodePoint(r, data.slice(off) as number[]);
    const label = labelOf(r, value);
    out[r.key] = label === undefined ? { value } : { value, label };
  }
  return out;
}

export const familyDecoder = (folderUrl: string) => {
  const map = loadMap(folderUrl);
  return (res: BlockResponse): Decoded => decodeBlock(map, res);
};
