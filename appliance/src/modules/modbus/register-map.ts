// The shape of a register map: where each point lives on a Modbus device and how its words become a number.

/** The four Modbus data tables (MODBUS Application Protocol V1.1b3 §4.3) and their read function codes. */
export type Table = 'coil' | 'discrete' | 'holding' | 'input';
export const READ_FC: Record<Table, 1 | 2 | 3 | 4> = { coil: 1, discrete: 2, holding: 3, input: 4 };

export type DataType = 'bool' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'int64' | 'uint64' | 'float64';

/** 16-bit registers each type occupies; a bool is one coil or discrete input. */
export const WORDS: Record<DataType, number> = { bool: 1, int16: 1, uint16: 1, int32: 2, uint32: 2, float32: 2, int64: 4, uint64: 4, float64: 4 };

export interface RegisterPoint {
  /** The profile point this register feeds. */
  key: string;
  table: Table;
  /** 0-based protocol address (register 30001 of a vendor table is input address 0). */
  address: number;
  type: DataType;
  /** Which register holds the most significant word: "big" (first, Modbus default) or "little" (word-swapped). */
  wordOrder?: 'big' | 'little';
  /** Byte order inside each register; Modbus itself is big-endian (§4.2), a few devices swap. */
  byteOrder?: 'big' | 'little';
  /** value = raw * scale + offset, applied after bit extraction. */
  scale?: number;
  offset?: number;
  /** A bit field of an integer register: bits [start, start + length) of the raw value. */
  bits?: { start: number; length: number };
  /** Labels of coded values (a status word): the reading stays the number, the label is shown. */
  enum?: Record<string, string>;
  /** Only points declared writable accept a write, and only from an admin. */
  writable?: boolean;
  /** Some devices accept only FC16 (or FC15) even for one register (coil). */
  writeFc?: 5 | 6 | 15 | 16;
}

/** One device family: its register map as data, and the profile a device of the family gets. */
export interface AdapterFamily {
  id: string;
  name: string;
  vendor: string;
  /** Where the register table comes from (manual, section, page). */
  source: string;
  registers: RegisterPoint[];
  profile: { points: import('../../domain/index.ts').PointDef[]; rules: import('../../domain/index.ts').AlarmRule[] };
  /** Engineering values the test peer serves, by point key. */
  example?: Record<string, number>;
}
