// The Modbus module's one door.
export { createModbus, type Modbus, type ModbusConfig, type NewModbusDevice, type LinkState } from './modbus.ts';
export { decodePoint, encodePoint, labelOf } from './decode.ts';
export { planReads, planNaive, MAX_BITS, MAX_REGISTERS, type ReadBlock } from './read-plan.ts';
export { classifyError, EXCEPTIONS } from './exceptions.ts';
export { loadFamilies, familyProblems, profileIdOf } from './families.ts';
export { createGateway, type Gateway, type LinkTarget } from './gateway.ts';
export type { AdapterFamily, RegisterPoint, DataType, Table } from './register-map.ts';
