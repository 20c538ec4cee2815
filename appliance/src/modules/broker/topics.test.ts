// Topic grammar and the per-device publish/subscribe policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDeviceTopic, mayPublish, maySubscribe } from './topics.ts';

const pump = { siteId: 'plant1', id: 'pump1' };

test('parses the v1 device topics', () => {
  assert.deepEqual(parseDeviceTopic('outpost/v1/plant1/pump1/telemetry'), { siteId: 'plant1', deviceId: 'pump1', kind: 'telemetry' });
  assert.deepEqual(parseDeviceTopic('outpost/v1/plant1/pump1/cmd/reset'), { siteId: 'plant1', deviceId: 'pump1', kind: 'cmd', name: 'reset' });
  assert.equal(parseDeviceTopic('outpost/v1/plant1/pump1/telemetry/x'), null);
  assert.equal(parseDeviceTopic('outpost/v2/plant1/pump1/telemetry'), null);
  assert.equal(parseDeviceTopic('outpost/v1/plant1/pump1/cmd'), null);
  assert.equal(parseDeviceTopic('random'), null);
});

test('a device publishes only under its own prefix and never commands', () => {
  assert.ok(mayPublish(pump, parseDeviceTopic('outpost/v1/plant1/pump1/telemetry')));
  assert.ok(mayPublish(pump, parseDeviceTopic('outpost/v1/plant1/pump1/status')));
  assert.ok(!mayPublish(pump, parseDeviceTopic('outpost/v1/plant1/chiller1/telemetry')));
  assert.ok(!mayPublish(pump, parseDeviceTopic('outpost/v1/plant2/pump1/telemetry')));
  assert.ok(!mayPublish(pump, parseDeviceTopic('outpost/v1/plant1/pump1/cmd/reset')));
  assert.ok(!mayPublish(pump, parseDeviceTopic('$SYS/x')));
});

test('a device subscribes only to its own commands', () => {
  assert.ok(maySubscribe(pump, 'outpost/v1/plant1/pump1/cmd/#'));
  assert.ok(maySubscribe(pump, 'outpost/v1/plant1/pump1/cmd/reset'));
  assert.ok(!maySubscribe(pump, 'outpost/v1/plant1/#'));
  assert.ok(!maySubscribe(pump, 'outpost/v1/plant1/+/cmd/#'));
  assert.ok(!maySubscribe(pump, '#'));
});
