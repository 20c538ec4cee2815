// Modbus end to end against a real pymodbus peer: block reads, exception codes, timeouts, a peer that goes and comes back, admin writes, RTU over a pty pair.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startBox, login, until, tempDir, type TestBox } from './helpers.ts';
import { startPeer, unitFromFamily, freePort, ptyPair, type Peer } from './modbus-peer.ts';
import { loadFamilies, createGateway } from '../src/modules/modbus/index.ts';

const { families } = loadFamilies(fileURLToPath(new URL('../../firmware-adapters/', import.meta.url)));
const SDM = families.get('eastron-sdm630')!;
const XY = families.get('xy-md02')!;
const VFD = families.get('delta-vfd-e')!;

let t: TestBox;
let admin: Awaited<ReturnType<typeof login>>;
let gw: Peer; // a gateway with several units
let vfd: Peer; // a drive on its own, the one that goes away
let gwPort: number, vfdPort: number;
const tmp = tempDir();

before(async () => {
  [gwPort, vfdPort] = [await freePort(), await freePort()];
  // One at a time: a peer that fails to start must not leave the other running.
  [gw, vfd] = [
    await startPeer(tmp.dir, {
      units: {
        '1': { ...unitFromFamily(SDM), co: { 3: 1, 5: 1 }, di: { 0: 1, 9: 1 } },
        '2': unitFromFamily(XY),
        '3': { ...unitFromFamily(XY), size: 2 }, // input register 2 is past its end: exception 0x02
        '4': { ...unitFromFamily(XY), fail: true }, // 0x04
        '5': { ...unitFromFamily(XY), gateway: true }, // 0x0B
      },
    }, { tcp: gwPort }),
    await startPeer(tmp.dir, { units: { '1': unitFromFamily(VFD) } }, { tcp: vfdPort }),
  ];
  t = await startBox({ dir: tmp.dir, overrides: { modbus: { timeoutMs: 200, retries: 1, backoffMs: 20, maxBackoffMs: 200, maxGap: 8 } } });
  admin = await login(t.httpUrl);
});

after(async () => {
  await t?.stop();
  await Promise.all([gw?.stop(), vfd?.stop()]);
  tmp.cleanup();
});

const add = (body: Record<string, unknown>) => admin.post('/api/v1/modbus/devices', { siteId: 'site1', transport: 'tcp', host: '127.0.0.1', port: gwPort, pollMs: 60_000, ...body });
const device = async (id: string) => (await admin.get(`/api/v1/devices/${id}`)).body;

test('families are listed with their points and registers', async () => {
  const res = await admin.get('/api/v1/modbus/families');
  assert.equal(res.status, 200);
  const sdm = res.body.find((f: { id: string }) => f.id === 'eastron-sdm630');
  assert.equal(sdm.profileId, 'modbus-eastron-sdm630');
  assert.deepEqual(sdm.points.find((p: { key: string }) => p.key === 'voltage_l1'), { key: 'voltage_l1', name: 'Voltage L1-N', unit: 'V', min: 0, max: 500, table: 'input', address: 0, type: 'float32', writable: false, enum: null });
});

test('two units behind one gateway: readings arrive through ingest, in block reads (3 requests for 16 points)', async () => {
  await gw.cmd('reset');
  assert.equal((await add({ id: 'meter1', name: 'Main meter', family: 'eastron-sdm630', unitId: 1 })).status, 201);
  assert.equal((await add({ id: 'th1', name: 'Store room', family: 'xy-md02', unitId: 2 })).status, 201);
  const meter = await until(async () => { const d = await device('meter1'); return d.points.every((p: { value: unknown }) => p.value !== null) && d; }, 5000, 'meter readings');
  const v = Object.fromEntries(meter.points.map((p: { key: string; value: number }) => [p.key, p.value]));
  assert.equal(v.voltage_l1, 230.5);
  assert.equal(v.frequency, 50);
  assert.equal(v.import_kwh, 12345.5);
  assert.equal(meter.status, 'online');
  assert.equal(meter.profileId, 'modbus-eastron-sdm630');
  assert.equal(meter.link.protocol, 'modbus');
  assert.equal(meter.link.blocks, 2);
  assert.equal(meter.link.lastError, null);
  assert.ok(meter.link.lastPollTs > 0);
  const th = await until(async () => { const d = await device('th1'); return d.points.every((p: { value: unknown }) => p.value !== null) && d; }, 5000, 'sensor readings');
  assert.deepEqual(th.points.map((p: { value: number }) => p.value), [-5.3, 61.7]);
  // One poll each (60 s interval): 2 blocks for the meter's 14 points, 1 for the sensor's 2.
  assert.deepEqual((await gw.stats()).byFc, { 4: 3 });
  // Stored like MQTT readings: the history API has them.
  const hist = await admin.get('/api/v1/devices/meter1/readings?point=voltage_l1');
  assert.deepEqual(hist.body.values, [230.5]);
  const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text();
  assert.match(metrics, /outpost_modbus_points_read_total 16/);
  assert.match(metrics, /outpost_modbus_polls_total\{device="meter1"\} 1/);
});

test('exception codes become readable coded errors on the device, counted in /metrics', async () => {
  for (const [id, unitId] of [['x02', 3], ['x04', 4], ['x0b', 5]] as const) assert.equal((await add({ id, name: id, family: 'xy-md02', unitId })).status, 201);
  const want: Record<string, RegExp> = { x02: /exception 0x02 illegal data address: .*register map/, x04: /exception 0x04 server device failure/, x0b: /exception 0x0B gateway target device failed to respond/ };
  for (const [id, re] of Object.entries(want)) {
    const d = await until(async () => { const x = await device(id); return x.link.lastError && x; }, 5000, `${id} error`);
    assert.equal(d.link.lastError.code, 'OUTPOST_MODBUS_EXCEPTION');
    assert.match(d.link.lastError.message, re);
    assert.match(d.link.lastError.message, /^unit \d FC4 @1\+2: /);
    // The device answered, so it is not offline.
    assert.notEqual(d.status, 'offline');
  }
  const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text();
  assert.match(metrics, /outpost_modbus_errors_total\{device="x04",code="OUTPOST_MODBUS_EXCEPTION"\} 1/);
});

test('a unit that never answers times out, after retries, and is offline', async () => {
  assert.equal((await add({ id: 'ghost', name: 'Ghost', family: 'xy-md02', unitId: 9 })).status, 201);
  const d = await until(async () => { const x = await device('ghost'); return x.link.lastError && x; }, 5000, 'timeout');
  assert.equal(d.link.lastError.code, 'OUTPOST_MODBUS_TIMEOUT');
  assert.match(d.link.lastError.message, /no answer in time; check power, wiring, unit id/);
  assert.equal(d.status, 'offline');
  // The other units on the same gateway still answer: one silent unit does not block the line.
  assert.equal((await device('meter1')).status, 'online');
});

test('a drive that disappears raises the offline alarm, and clears it when it comes back', async () => {
  assert.equal((await add({ id: 'vfd1', name: 'Fan drive', family: 'delta-vfd-e', unitId: 1, port: vfdPort, pollMs: 100 })).status, 201);
  const on = await until(async () => { const d = await device('vfd1'); return d.status === 'online' && d.points.find((p: { key: string }) => p.key === 'output_freq').value !== null && d; }, 5000, 'drive online');
  const v = Object.fromEntries(on.points.map((p: { key: string; value: number }) => [p.key, p.value]));
  assert.equal(v.output_freq, 49.98);
  assert.equal(v.run_state, 3); // a bit field of 2101H
  assert.equal(on.link.enums.run_state['3'], 'running');
  await vfd.stop();
  const alarm = await until(() => t.box.alarms.active().find((a) => a.deviceId === 'vfd1' && a.type === 'device_offline'), 5000, 'offline alarm');
  assert.equal(alarm.severity, 'MINOR');
  const off = await device('vfd1');
  assert.equal(off.status, 'offline');
  assert.match(off.link.lastError.code, /OUTPOST_MODBUS_(CONNECTION|TIMEOUT)/);
  await vfd.restart();
  await until(async () => (await device('vfd1')).status === 'online', 5000, 'drive back online');
  await until(() => !t.box.alarms.active().some((a) => a.deviceId === 'vfd1' && a.type === 'device_offline'), 5000, 'offline alarm cleared');
});

test('an admin write reaches the drive and is logged with who and why; an operator is refused', async () => {
  const res = await admin.post('/api/v1/devices/vfd1/write', { point: 'freq_cmd', value: 42.5, reason: 'slow the fan for the night shift' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.fc, 6);
  assert.deepEqual((await vfd.cmd('get 1 hr 8193')).values, [4250]);
  const log = await admin.get('/api/v1/devices/vfd1/writes');
  assert.equal(log.body.length, 1);
  assert.equal(log.body[0].username, 'admin');
  assert.equal(log.body[0].reason, 'slow the fan for the night shift');
  assert.equal(log.body[0].result, 'ok');

  const notWritable = await admin.post('/api/v1/devices/vfd1/write', { point: 'output_freq', value: 10, reason: 'try' });
  assert.equal(notWritable.status, 403);
  assert.equal(notWritable.body.code, 'OUTPOST_MODBUS_NOT_WRITABLE');
  const tooBig = await admin.post('/api/v1/devices/vfd1/write', { point: 'freq_cmd', value: 1000, reason: 'typo' });
  assert.equal(tooBig.status, 400);
  assert.equal(tooBig.body.code, 'OUTPOST_MODBUS_VALUE');

  await admin.post('/api/v1/users', { username: 'op1', password: 'operator-pw-1', role: 'operator' });
  const op = await login(t.httpUrl, 'op1', 'operator-pw-1');
  const refused = await op.post('/api/v1/devices/vfd1/write', { point: 'freq_cmd', value: 10, reason: 'I want to' });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, 'OUTPOST_FORBIDDEN');
  assert.deepEqual((await vfd.cmd('get 1 hr 8193')).values, [4250]);
  assert.equal((await op.get('/api/v1/devices/vfd1/writes')).body.length, 1);
  assert.equal((await op.post('/api/v1/modbus/devices', { id: 'nope', siteId: 'site1', name: 'n', family: 'xy-md02', unitId: 7, transport: 'tcp', host: '127.0.0.1', port: gwPort })).status, 403);
});

test('bad registrations are refused with a code', async () => {
  assert.equal((await add({ id: 'dup', name: 'dup', family: 'xy-md02', unitId: 2 })).body.code, 'OUTPOST_CONFLICT');
  assert.equal((await add({ id: 'fam', name: 'fam', family: 'no-such-family', unitId: 20 })).body.code, 'OUTPOST_NOT_FOUND');
  assert.equal((await add({ id: 'nohost', name: 'n', family: 'xy-md02', unitId: 21, host: undefined })).body.code, 'OUTPOST_BAD_REQUEST');
  assert.equal((await add({ id: 'unit0', name: 'n', family: 'xy-md02', unitId: 0 })).status, 400);
});

test('RTU over a serial line (socat pty pair): the sensor is read', async () => {
  const pty = await ptyPair();
  const peer = await startPeer(tmp.dir, { units: { '7': unitFromFamily(XY, { temperature: 21.4, humidity: 48.2 }) } }, { rtu: pty.b, baud: 19200 });
  try {
    const res = await admin.post('/api/v1/modbus/devices', { id: 'th-rtu', siteId: 'site1', name: 'Cold room', family: 'xy-md02', unitId: 7, transport: 'rtu', path: pty.a, baud: 19200, parity: 'none', pollMs: 200 });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const d = await until(async () => { const x = await device('th-rtu'); return x.points[0].value !== null && x; }, 8000, 'rtu readings');
    assert.deepEqual(d.points.map((p: { value: number }) => p.value), [21.4, 48.2]);
    assert.equal(d.link.transport, 'rtu');
    assert.equal(d.link.path, pty.a);
  } finally {
    await peer.stop();
    await pty.stop();
  }
});

test('the gateway reads coils and discrete inputs (FC1, FC2) and writes FC5, FC15, FC16 on the peer', async () => {
  const g = createGateway({ transport: 'tcp', host: '127.0.0.1', port: gwPort }, { timeoutMs: 500 });
  try {
    assert.deepEqual(await g.read(1, { fc: 1, address: 0, count: 8 }), [false, false, false, true, false, true, false, false]);
    assert.deepEqual(await g.read(1, { fc: 2, address: 0, count: 10 }), [true, false, false, false, false, false, false, false, false, true]);
    await g.write(1, 5, 0, true);
    await g.write(1, 15, 1, true);
    await g.write(1, 16, 200, [0x4366, 0x8000]);
    assert.deepEqual((await gw.cmd('get 1 co 0 3')).values, [1, 1, 0]);
    assert.deepEqual((await gw.cmd('get 1 hr 200 2')).values, [0x4366, 0x8000]);
  } finally {
    await g.close();
  }
});

test('links survive a restart: the box polls its Modbus devices again, and a failed write is logged as such', async () => {
  const dir = tempDir();
  const port = await freePort();
  const peer = await startPeer(dir.dir, { units: { '1': unitFromFamily(VFD) } }, { tcp: port });
  let box = await startBox({ dir: dir.dir, overrides: { modbus: { timeoutMs: 200, retries: 0, backoffMs: 10, maxBackoffMs: 200 } } });
  try {
    let a = await login(box.httpUrl);
    assert.equal((await a.post('/api/v1/modbus/devices', { id: 'v2', siteId: 'site1', name: 'Drive 2', family: 'delta-vfd-e', unitId: 1, transport: 'tcp', host: '127.0.0.1', port, pollMs: 100 })).status, 201);
    await until(() => box.box.registry.get('v2')?.device.status === 'online', 5000, 'v2 online');
    await box.stop();
    box = await startBox({ dir: dir.dir, seed: false, overrides: { modbus: { timeoutMs: 200, retries: 0, backoffMs: 10, maxBackoffMs: 200 } } });
    a = await login(box.httpUrl);
    const d = await until(async () => { const x = (await a.get('/api/v1/devices/v2')).body; return x.status === 'online' && x; }, 5000, 'v2 polled after restart');
    assert.equal(d.link.port, port);
    await peer.stop();
    const res = await a.post('/api/v1/devices/v2/write', { point: 'command', value: 1, reason: 'stop for maintenance' });
    assert.match(res.body.code, /OUTPOST_MODBUS_(CONNECTION|TIMEOUT)/);
    const log = (await a.get('/api/v1/devices/v2/writes')).body;
    assert.equal(log[0].result, 'error');
    assert.equal(log[0].reason, 'stop for maintenance');
    assert.match(log[0].error, /cannot reach|no answer/);
  } finally {
    await box.stop();
    await peer.stop();
    dir.cleanup();
  }
});
