// The alarm lifecycle (ThingsBoard's model): pure transitions on an Alarm value.
import type { Alarm, Severity } from './types.ts';
import { rank } from './severity.ts';

export const isActive = (a: Pick<Alarm, 'status'>): boolean => a.status === 'ACTIVE_UNACK' || a.status === 'ACTIVE_ACK';
export const isAcked = (a: Pick<Alarm, 'status'>): boolean => a.status === 'ACTIVE_ACK' || a.status === 'CLEARED_ACK';

/** A rise in severity asks for a fresh acknowledgement; a fall keeps the one given. */
export function changeSeverity(a: Alarm, to: Severity, now: number, details: Record<string, unknown>): Alarm {
  const rising = rank(to) > rank(a.severity);
  return { ...a, severity: to, status: rising ? 'ACTIVE_UNACK' : a.status, updateTs: now, details };
}

export function ack(a: Alarm, now: number): Alarm | null {
  if (isAcked(a)) return null;
  return { ...a, status: isActive(a) ? 'ACTIVE_ACK' : 'CLEARED_ACK', ackTs: now, updateTs: now };
}

export function clear(a: Alarm, now: number, details?: Record<string, unknown>): Alarm | null {
  if (!isActive(a)) return null;
  return { ...a, status: isAcked(a) ? 'CLEARED_ACK' : 'CLEARED_UNACK', clearTs: now, updateTs: now, details: details ? { ...a.details, cleared: details } : a.details };
}
