// The first loop end to end: MQTT telemetry -> alarm -> work order with evidence, through the real API.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startBox, connectDevice, login, until, sendSeries, endClient, type TestBox } from './helpers.ts';

let tb: TestBox;
before(async () => { tb = await startBox(); });
after(async () => { await tb.stop(); });

test('a bearing above 80 °C for 30 s raises a MAJOR alarm and opens one work order with evidence', async () => {
  const api = await login(tb.httpUrl);
  const dev = await connectDevice(tb.mqttPort, 'd1');
  await sendSeries(dev, 'd1', 'temp', [[120, 60], [90, 62], [60, 70], [40, 81], [25, 83], [10, 85]]);
  const alarm = await until(async () => (await api.get('/api/v1/alarms?active=true')).body.find((a: { type: string }) => a.type === 'overheat'), 5000, 'overheat alarm');
  assert.equal(alarm.severity, 'MAJOR');
  assert.equal(alarm.status, 'ACTIVE_UNACK');
  assert.equal(alarm.assetId, 'a1');
  assert.equal(alarm.details.point, 'temp');

  const ticket = await until(async () => (await api.get('/api/v1/tickets?open=true')).body.find((t: { alarmId: string }) => t.alarmId === alarm.id), 5000, 'work order');
  assert.equal(ticket.status, 'new');
  assert.equal(ticket.priority, 'MAJOR');
  assert.match(ticket.title, /Pump A1/);

  const detail = (await api.get(`/api/v1/tickets/${ticket.id}`)).body;
  assert.equal(detail.evidence.rule.type, 'overheat');
  assert.deepEqual(detail.evidence.rule.levels[0], { severity: 'MAJOR', above: 80, forS: 30 });
  const temp = detail.evidence.series.find((s: { point: string }) => s.point === 'temp');
  assert.equal(temp.values.length, 6, 'the readings window before the alarm is in the evidence');
  assert.deepEqual(temp.values, [60, 62, 70, 81, 83, 85]);
  assert.equal(detail.events[0].kind, 'opened');

  // Severity rises: above 95 for 10 s makes the same alarm CRITICAL, the same ticket's priority follows.
  // (Negative "seconds ago" are device timestamps slightly ahead, within the allowed clock skew.)
  await sendSeries(dev, 'd1', 'temp', [[9, 96], [-2, 97]]);
  await until(async () => (await api.get(`/api/v1/alarms/${alarm.id}`)).body.severity === 'CRITICAL', 5000, 'CRITICAL');
  await until(async () => (await api.get(`/api/v1/tickets/${ticket.id}`)).body.ticket.priority === 'CRITICAL', 5000, 'ticket priority');

  // Cooling below 80 - hysteresis clears the alarm; the ticket stays open with the clear in its timeline.
  await sendSeries(dev, 'd1', 'temp', [[-3, 70]]);
  const cleared = await until(async () => { const a = (await api.get(`/api/v1/alarms/${alarm.id}`)).body; return a.status === 'CLEARED_UNACK' && a; }, 5000, 'clear');
  assert.ok(cleared.clearTs >= cleared.startTs);
  const timeline = (await api.get(`/api/v1/tickets/${ticket.id}`)).body.events.map((e: { kind: string }) => e.kind);
  assert.deepEqual(timeline, ['opened', 'priority_raised', 'alarm_cleared']);

  // It overheats again: a new alarm, but it attaches to the same open ticket.
  await sendSeries(dev, 'd1', 'temp', [[-4, 90], [-40, 91]]);
  const tickets = await until(async () => { const t = (await api.get(`/api/v1/tickets/${ticket.id}`)).body.ticket; return t.alarmCount === 2 && t; }, 5000, 'repeat attached');
  assert.equal(tickets.id, ticket.id);
  const open = (await api.get('/api/v1/tickets?open=true')).body.filter((t: { alarmType: string; assetId: string }) => t.alarmType === 'overheat' && t.assetId === 'a1');
  assert.equal(open.length, 1, 'one open ticket per asset and alarm type');

  const metrics = await (await fetch(`${tb.httpUrl}/metrics`)).text();
  assert.match(metrics, /outpost_alarms_raised_total\{severity="MAJOR"\} 2/);
  assert.match(metrics, /outpost_tickets_opened_total 1/);
  assert.match(metrics, /outpost_alarm_latency_seconds_count 2/);
  await endClient(dev);
});
