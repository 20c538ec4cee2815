// Table tests for template choice, step bands, completeness and check-in code parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickTemplate, stepBand, missingSteps, parseCheckinCode, templateProblems, type JobTemplate } from './job-template.ts';

const step = { id: 's1', en: 'Look', zh: '看' };
const T = (id: string, match: JobTemplate['match']): JobTemplate => ({ id, name: id, match, steps: [step] });
const templates = [
  T('mech', { category: 'mechanical' }),
  T('pump', { assetType: 'centrifugal_pump' }),
  T('pump-overheat', { assetType: 'centrifugal_pump', alarmType: 'bearing_overheat' }),
  T('overheat', { alarmType: 'bearing_overheat' }),
  T('any', {}),
];

test('the most specific fitting template wins; a named criterion that does not match rules a template out', () => {
  const cases: [Parameters<typeof pickTemplate>[1], string | null][] = [
    [{ category: 'mechanical', alarmType: 'bearing_overheat', assetType: 'centrifugal_pump' }, 'pump-overheat'],
    [{ category: 'mechanical', alarmType: 'bearing_overheat', assetType: 'fan' }, 'overheat'],
    [{ category: 'mechanical', alarmType: 'vibration_high', assetType: 'centrifugal_pump' }, 'pump'],
    [{ category: 'mechanical', alarmType: null, assetType: null }, 'mech'],
    [{ category: 'plumbing', alarmType: null, assetType: null }, 'any'],
  ];
  for (const [facts, want] of cases) assert.equal(pickTemplate(templates, facts)?.id ?? null, want, JSON.stringify(facts));
  assert.equal(pickTemplate([T('x', { category: 'hvac' })], { category: 'it', alarmType: null, assetType: null }), null);
});

test('a value is judged against the step band; no band or no value says nothing', () => {
  const s = { expect: { min: 20, max: 70 } };
  assert.equal(stepBand(s, 19.9), 'low');
  assert.equal(stepBand(s, 20), 'ok');
  assert.equal(stepBand(s, 70.1), 'high');
  assert.equal(stepBand(s, null), null);
  assert.equal(stepBand({}, 5), null);
  assert.equal(stepBand({ expect: { max: 4.5 } }, 3), 'ok');
});

test('missing steps are those not ticked, in order', () => {
  const steps = [{ ...step, id: 'a' }, { ...step, id: 'b' }, { ...step, id: 'c' }];
  assert.deepEqual(missingSteps(steps, [{ stepId: 'b', done: true, value: null, note: null, ts: 0, by: 'x' }, { stepId: 'a', done: false, value: 1, note: null, ts: 0, by: 'x' }]), ['a', 'c']);
});

test('template problems are named', () => {
  assert.deepEqual(templateProblems({ id: 't', name: 't', match: {}, steps: [] }), ['a template needs at least one step']);
  const bad = templateProblems({ id: 't', name: 't', match: {}, steps: [{ ...step, expect: { min: 5, max: 1 } }, step] });
  assert.equal(bad.length, 3);
});

test('check-in codes parse from the label URL or the bare code; junk is null', () => {
  assert.deepEqual(parseCheckinCode('http://10.0.0.5:8080/engineer/#/checkin/pump-p101.abcdefgh1234'), { assetId: 'pump-p101', token: 'abcdefgh1234' });
  assert.deepEqual(parseCheckinCode(' a1.ABCDEFGH_- '), { assetId: 'a1', token: 'ABCDEFGH_-' });
  for (const junk of ['', 'a1', 'a1.', '.abcdefgh', 'a1.short', 'a 1.abcdefghij', 'http://x/engineer/#/checkin/', 'a1.abc<script>defgh']) assert.equal(parseCheckinCode(junk), null, junk);
});
