// Pure decoder of the Eastron SDM630 three-phase power meter: its map.json through the box's shared Modbus decoder.
import { familyDecoder } from '../decoder-kit.ts';

/** A block response (function code, start address, registers or bits) -> { point: { value, label? } }. */
export const decode = familyDecoder(import.meta.url);
