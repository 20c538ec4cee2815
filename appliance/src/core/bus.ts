// The typed event bus: modules announce what happened here and never call into each other's files.
import { EventEmitter } from 'node:events';
import type { Alarm, Reading, Ticket } from '../domain/types.ts';

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
