// The alarm lifecycle: ack, clear, severity moves and the four statuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ack, clear, changeSeverity } from './alarm-model.ts';
import { canMove, opensTicket } from './ticket-flow.ts';
import type { Alarm } from './types.ts';

const base: Alarm = {
  id: 'a', siteId: 's', assetId: 'x', deviceId: 'd', type: 't', severity: 'MAJOR', status: 'ACTIVE_UNACK',
  ruleKind: 'threshold', startTs: 0, updateTs: 0, ackTs: null, clearTs: null, details: {},
};

test('ack then clear ends CLEARED_ACK; clear then ack ends CLEARED_ACK too', () => {
  const a1 = ack(base, 1)!; assert.equal(a1.status, 'ACTIVE_ACK');
  assert.equal(clear(a1, 2)!.status, 'CLEARED_ACK');
  const c1 = clear(base, 1)!; assert.equal(c1.status, 'CLEARED_UNACK');
  assert.equal(ack(c1, 2)!.status, 'CLEARED_ACK');
  assert.equal(ack(a1, 3), null, 'acking twice is not a change');
  assert.equal(clear(c1, 3), null, 'clearing twice is not a change');
});

test('a rise in severity needs a new ack, a fall keeps it', () => {
  const acked = ack(base, 1)!;
  assert.equal(changeSeverity(acked, 'CRITICAL', 2, {}).status, 'ACTIVE_UNACK');
  assert.equal(changeSeverity(acked, 'MINOR', 2, {}).status, 'ACTIVE_ACK');
});

test('ticket moves and the ticket policy', () => {
  assert.ok(canMove('new', 'assigned'));
  assert.ok(canMove('resolved', 'in_progress'));
  assert.ok(!canMove('closed', 'new'));
  assert.ok(!canMove('new', 'closed'));
  assert.ok(opensTicket({ minSeverity: 'MAJOR' }, 'CRITICAL'));
  assert.ok(!opensTicket({ minSeverity: 'MAJOR' }, 'MINOR'));
  assert.ok(!opensTicket(undefined, 'CRITICAL'));
});

test('profile check names each problem', async () => {
  const { profileProblems } = await import('./profile-check.ts');
  const problems = profileProblems({
    id: 'p', name: 'p',
    points: [{ key: 't', name: 'T', min: 5, max: 1 }, { key: 't', name: 'T again' }],
    rules: [
      { kind: 'threshold', type: 'hot', point: 'x', levels: [{ severity: 'MAJOR', above: 1, below: 2 }] },
      { kind: 'stale', type: 'hot', point: 't', afterS: 5, severity: 'MINOR' },
    ],
  });
  assert.deepEqual(problems, [
    'point "t": min must be below max',
    'point "t" is declared twice',
    'rules[0] (hot): point "x" is not declared in points',
    'rules[0] (hot): each level needs exactly one of above / below',
    'rules[1] (hot): alarm type "hot" is used by two rules',
  ]);
});
