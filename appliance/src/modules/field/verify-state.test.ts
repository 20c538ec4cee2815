// How the app names verification from the trail: verifying, verified (closed from verifying), reopened (handed back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyState } from './field.ts';

const ev = (kind: string, from: string | null, to: string | null, data: unknown = null, note: string | null = null) => ({ id: 0, ts: 1, actor: 'system', kind, from, to, note, data });

test('verification state from the trail', () => {
  assert.equal(verifyState('verifying', []).state, 'verifying');
  assert.equal(verifyState('closed', [ev('status', 'resolved', 'verifying'), ev('status', 'verifying', 'closed')]).state, 'verified');
  // Closed by an operator straight from resolved is not a verification.
  assert.equal(verifyState('closed', [ev('status', 'resolved', 'closed')]).state, null);
  const reopened = verifyState('assigned', [ev('status', 'resolved', 'verifying'), ev('verification_failed', null, null, { reason: 'out_of_band', value: 92 }), ev('assigned', 'verifying', 'assigned')]);
  assert.equal(reopened.state, 'reopened');
  assert.deepEqual(reopened.data, { reason: 'out_of_band', value: 92, ts: 1 });
  // Worked again after the reopen: still says reopened until the next sign-off.
  assert.equal(verifyState('in_progress', [ev('assigned', 'verifying', 'assigned'), ev('status', 'assigned', 'in_progress')]).state, 'reopened');
  // Signed off again: no longer 'reopened'.
  assert.equal(verifyState('resolved', [ev('assigned', 'verifying', 'assigned'), ev('status', 'in_progress', 'resolved')]).state, null);
});
