// Table test: every standard exception code and each transport failure become one readable, coded error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyError, EXCEPTIONS } from './exceptions.ts';

const CASES: [string, unknown, string, RegExp][] = [
  ['01', { modbusCode: 1 }, 'OUTPOST_MODBUS_EXCEPTION', /exception 0x01 illegal function/],
  ['02', { modbusCode: 2 }, 'OUTPOST_MODBUS_EXCEPTION', /0x02 illegal data address: .*register map/],
  ['03', { modbusCode: 3 }, 'OUTPOST_MODBUS_EXCEPTION', /0x03 illegal data value/],
  ['04', { modbusCode: 4 }, 'OUTPOST_MODBUS_EXCEPTION', /0x04 server device failure/],
  ['0A', { modbusCode: 10 }, 'OUTPOST_MODBUS_EXCEPTION', /0x0A gateway path unavailable/],
  ['0B', { modbusCode: 11 }, 'OUTPOST_MODBUS_EXCEPTION', /0x0B gateway target device failed to respond/],
  ['unknown code', { modbusCode: 0x42 }, 'OUTPOST_MODBUS_EXCEPTION', /0x42 \(not in the standard table\)/],
  ['timeout', { name: 'TransactionTimedOutError', errno: 'ETIMEDOUT' }, 'OUTPOST_MODBUS_TIMEOUT', /no answer in time/],
  ['refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'OUTPOST_MODBUS_CONNECTION', /ECONNREFUSED/],
  ['port closed', { name: 'PortNotOpenError', errno: 'ECONNREFUSED', message: 'Port Not Open' }, 'OUTPOST_MODBUS_CONNECTION', /cannot reach/],
  ['nothing at all', undefined, 'OUTPOST_MODBUS_CONNECTION', /cannot reach/],
];

for (const [name, err, code, message] of CASES) {
  test(`classify ${name}`, () => {
    const got = classifyError(err, 'unit 1 FC3 @0+2');
    assert.equal(got.code, code);
    assert.match(got.message, message);
    assert.match(got.message, /^unit 1 FC3 @0\+2: /);
  });
}

test('the table covers the codes the issue names', () => {
  for (const c of [1, 2, 3, 4, 10, 11]) assert.ok(EXCEPTIONS[c], `code ${c}`);
});
