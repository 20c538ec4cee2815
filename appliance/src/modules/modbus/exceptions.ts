// Modbus exception codes and transport failures -> one coded, readable error for the device page and /metrics.
import type { ErrorCode } from '../../core/index.ts';

/** MODBUS Application Protocol V1.1b3 §7 "MODBUS Exception Responses", with what to do about each. */
export const EXCEPTIONS: Record<number, { name: string; hint: string }> = {
  0x01: { name: 'illegal function', hint: 'the device does not support this function code; check the register table (input vs holding)' },
  0x02: { name: 'illegal data address', hint: 'the address is not on this device; check the register map and whether it is 0- or 1-based' },
  0x03: { name: 'illegal data value', hint: 'the quantity or value is not allowed; check the register count and the value range' },
  0x04: { name: 'server device failure', hint: 'the device failed while answering; check the device itself' },
  0x05: { name: 'acknowledge', hint: 'the device accepted a long-running request; poll again later' },
  0x06: { name: 'server device busy', hint: 'the device is busy; lengthen the poll interval' },
  0x08: { name: 'memory parity error', hint: 'the device reports a memory fault; service the device' },
  0x0a: { name: 'gateway path unavailable', hint: 'the gateway has no path to this unit id; check the gateway configuration' },
  0x0b: { name: 'gateway target device failed to respond', hint: 'the device behind the gateway did not answer; check its unit id, wiring and power' },
};

export interface LinkError { code: ErrorCode; message: string; exception?: number }

/** Classifies what modbus-serial throws: exception responses, timeouts, and everything about the connection. */
export function classifyError(err: unknown, where: string): LinkError {
  const e = (err ?? {}) as { modbusCode?: number; name?: string; errno?: string; code?: string; message?: string };
  if (typeof e.modbusCode === 'number') {
    const x = EXCEPTIONS[e.modbusCode];
    const hex = `0x${e.modbusCode.toString(16).padStart(2, '0').toUpperCase()}`;
    return { code: 'OUTPOST_MODBUS_EXCEPTION', exception: e.modbusCode, message: `${where}: exception ${hex} ${x ? `${x.name}: ${x.hint}` : '(not in the standard table)'}` };
  }
  if (e.name === 'TransactionTimedOutError' || e.errno === 'ETIMEDOUT' || e.code === 'ETIMEDOUT') {
    return { code: 'OUTPOST_MODBUS_TIMEOUT', message: `${where}: no answer in time; check power, wiring, unit id and that nothing else polls the device` };
  }
  const reason = e.errno ?? e.code ?? e.message ?? String(err);
  return { code: 'OUTPOST_MODBUS_CONNECTION', message: `${where}: cannot reach the device (${reason}); check the address, port or serial path` };
}
