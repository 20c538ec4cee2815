// The domain's one door: types and the pure rules of alarms and work orders.
export * from './types.ts';
export * from './severity.ts';
export * from './alarm-rules.ts';
export * from './alarm-model.ts';
export * from './ticket-flow.ts';
export * from './profile-check.ts';
export * from './forecast.ts';
export * from './vibration-zones.ts';
export * from './usage.ts';
export * from './verification.ts';
export * from './geo.ts';
export * from './business-hours.ts';
export * from './sla-clock.ts';
export * from './escalation.ts';
export * from './site-graph.ts';
export * from './dispatch-profile.ts';
export * from './dispatch-scoring.ts';
