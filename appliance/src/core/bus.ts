// The typed event bus: modules announce what happened here and never call into each other's files.
import { EventEmitter } from 'node:events';
import type { Alarm, EngineerRole, Reading, Ticket } from '../domain/types.ts';

export interface StoredReading extends Reading {
  /** When the box accepted it (ms), for latency measurement. */
  receivedAt: number;
}

export interface BusEvents {
  'readings.stored': [readings: StoredReading[]];
  'device.status': [event: { deviceId: string; status: 'online' | 'offline'; ts: number }];
  'device.event': [event: { deviceId: string; ts: number; code: string; text: string | null }];
  'device.rejected': [event: { deviceId: string; code: string; message: string; ts: number }];
  'alarm.raised': [alarm: Alarm, cause: { receivedAt?: number }];
  'alarm.updated': [alarm: Alarm];
  'alarm.cleared': [alarm: Alarm];
  /** A standing forecast moved notably (modules/forecast): the preventive work order follows it. */
  'forecast.updated': [event: { deviceId: string; type: string; predictedTs: number | null; forecast: Record<string, unknown> }];
  'ticket.opened': [ticket: Ticket];
  'ticket.updated': [ticket: Ticket];
  /** A work order got an assignee (dispatch, an operator's override, or the escalation ladder's next engineer). */
  'ticket.assigned': [ticket: Ticket, assignment: { engineerId: string; previous: string | null; by: string; why: unknown }];
  /** The escalation ladder took a step: who it now reaches and why. */
  'ticket.escalated': [event: { ticket: Ticket; level: number; reason: 'no_ack' | 'response_overdue' | 'resolution_overdue'; target: { engineerId?: string; role?: EngineerRole } }];
  /** An SLA clock crossed 80% (warning) or its deadline (breached). */
  'sla.changed': [event: { ticket: Ticket; clock: 'response' | 'resolution'; state: 'warning' | 'breached'; dueTs: number }];
  /** Someone acknowledged an alert about a work order (modules/notify): the escalation ladder stops climbing for that step. */
  'alert.acked': [event: { ticketId: string; engineerId: string; ts: number }];
  /** The engineer signed the job off in the app: what was done and which parts went in. */
  'job.signed_off': [event: { ticketId: string; engineerId: string; partsUsed: { sku: string; qty: number }[]; notes: string; ts: number }];
  /** Where an engineer is now: a QR check-in at an asset or the app's position. */
  'engineer.located': [event: { engineerId: string; zoneId: string; source: 'qr' | 'app'; ts: number }];
  /** A roster entry was added or edited (skills, shifts, active ...): dispatch drops its cached roster. */
  'roster.changed': [event: { engineerId: string; siteId: string }];
}

export interface Bus {
  on<K extends keyof BusEvents>(event: K, listener: (...args: BusEvents[K]) => void): void;
  off<K extends keyof BusEvents>(event: K, listener: (...args: BusEvents[K]) => void): void;
  emit<K extends keyof BusEvents>(event: K, ...args: BusEvents[K]): void;
}

export function createBus(): Bus {
  const ee = new EventEmitter();
  ee.setMaxListeners(100);
  return {
    on: (event, listener) => { ee.on(event, listener as (...a: unknown[]) => void); },
    off: (event, listener) => { ee.off(event, listener as (...a: unknown[]) => void); },
    emit: (event, ...args) => { ee.emit(event, ...args); },
  };
}
