// Table tests for the escalation ladder: no answer, re-assignment, acknowledgement holds, overdue clocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dueSteps, ladderPlan, nextStepTs, type LadderInput, type TakenStep } from './escalation.ts';
import { ticketSla, type StatusChange } from './sla-clock.ts';
import type { TicketStatus } from './types.ts';

const M = 60_000;
const T0 = Date.UTC(2026, 0, 5, 8, 0);
const hist = (...steps: [number, TicketStatus][]): StatusChange[] => steps.map(([min, to]) => ({ ts: T0 + min * M, to }));
const step = (min: number, level: number, reason: TakenStep['reason'], anchorMin: number): TakenStep => ({ ts: T0 + min * M, level, reason, anchorTs: T0 + anchorMin * M });

function input(changes: StatusChange[], now: number, taken: TakenStep[] = [], acks: number[] = [], policy = { responseMins: 600, resolveMins: 6000 }): LadderInput {
  const sla = ticketSla(policy, changes, { kind: '24x7' }, T0 + now * M);
  return { changes, taken, acks: acks.map((a) => T0 + a * M), response: sla.response, resolution: sla.resolution, ackMs: 15 * M, stepMs: 10 * M, add: (t, ms) => t + ms };
}
const brief = (i: LadderInput, now: number) => dueSteps(i, T0 + now * M).map((s) => `${s.reason}:${s.level}:${s.role}@${(s.dueTs - T0) / M}`);

test('no answer: next engineer, then supervisor, then manager, at the right minutes', () => {
  const h = hist([0, 'new'], [1, 'assigned']);
  const rows: { now: number; taken: TakenStep[]; want: string[] }[] = [
    { now: 15, taken: [], want: [] },
    { now: 16, taken: [], want: ['no_ack:1:engineer@16'] },
    { now: 26, taken: [step(16, 1, 'no_ack', 1)], want: ['no_ack:2:supervisor@26'] },
    { now: 36, taken: [step(16, 1, 'no_ack', 1), step(26, 2, 'no_ack', 1)], want: ['no_ack:3:manager@36'] },
    { now: 90, taken: [step(16, 1, 'no_ack', 1), step(26, 2, 'no_ack', 1), step(36, 3, 'no_ack', 1)], want: [] },
    // The box was down: every missed level comes due at once, in order.
    { now: 60, taken: [], want: ['no_ack:1:engineer@16', 'no_ack:2:supervisor@26', 'no_ack:3:manager@36'] },
  ];
  for (const r of rows) assert.deepEqual(brief(input(h, r.now, r.taken), r.now), r.want, `at ${r.now} min`);
});

test('re-assignment inside the episode keeps the ladder; an answer stops it', () => {
  // Level 1 at 16 handed it to someone else at 17: they get one step (to 26), not a fresh 15 minutes.
  const reassigned = hist([0, 'new'], [1, 'assigned'], [17, 'assigned']);
  assert.deepEqual(brief(input(reassigned, 26, [step(16, 1, 'no_ack', 1)]), 26), ['no_ack:2:supervisor@26']);
  const accepted = hist([0, 'new'], [1, 'assigned'], [17, 'assigned'], [20, 'accepted']);
  assert.deepEqual(ladderPlan(input(accepted, 40, [step(16, 1, 'no_ack', 1)])), []);
  // Declined after accepting: a new episode from the next assignment.
  const again = hist([0, 'new'], [1, 'assigned'], [5, 'accepted'], [30, 'new'], [31, 'assigned']);
  assert.deepEqual(brief(input(again, 46, [step(16, 1, 'no_ack', 1)]), 46), ['no_ack:1:engineer@46']);
  // Never assigned: nothing to escalate for want of an answer (the response clock still runs).
  assert.deepEqual(ladderPlan(input(hist([0, 'new']), 100)), []);
});

test('an acknowledged alert stops the ladder climbing past where it stood', () => {
  const h = hist([0, 'new'], [1, 'assigned']);
  const taken = [step(16, 1, 'no_ack', 1), step(26, 2, 'no_ack', 1)];
  assert.deepEqual(brief(input(h, 60, taken, [30]), 60), []);
  // An acknowledgement before the ladder moved holds it at the start.
  assert.deepEqual(brief(input(h, 60, [], [5]), 60), []);
  // An acknowledgement from an earlier episode does not count.
  const again = hist([0, 'new'], [1, 'assigned'], [5, 'accepted'], [30, 'new'], [31, 'assigned']);
  assert.deepEqual(brief(input(again, 46, [], [3]), 46), ['no_ack:1:engineer@46']);
});

test('overdue clocks escalate to the supervisor at the breach, then the manager', () => {
  const policy = { responseMins: 30, resolveMins: 120 };
  const h = hist([0, 'new']);
  assert.deepEqual(brief(input(h, 30, [], [], policy), 30), ['response_overdue:2:supervisor@30']);
  assert.deepEqual(brief(input(h, 40, [step(30, 2, 'response_overdue', 30)], [], policy), 40), ['response_overdue:3:manager@40']);
  assert.equal(nextStepTs(input(h, 31, [step(30, 2, 'response_overdue', 30)], [], policy), T0 + 31 * M), T0 + 40 * M);
  // Answered after the breach: the response track stops climbing; resolution breaches later on its own.
  const answered = hist([0, 'new'], [35, 'in_progress']);
  assert.deepEqual(brief(input(answered, 125, [step(30, 2, 'response_overdue', 30)], [], policy), 125), ['resolution_overdue:2:supervisor@120']);
  // Waiting for parts: an overdue work order does not climb while the wait is outside the engineer's hands.
  const waiting = hist([0, 'new'], [35, 'in_progress'], [125, 'waiting_parts']);
  assert.deepEqual(brief(input(waiting, 200, [step(30, 2, 'response_overdue', 30), step(120, 2, 'resolution_overdue', 120)], [], policy), 200), []);
});
