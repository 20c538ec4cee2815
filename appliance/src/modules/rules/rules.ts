// The rules engine: runs each device profile's alarm rules on stored readings, on a tick for
// stale data, and on device status; hands every verdict to the alarm store.
import type { Bus, Clock, StoredReading } from '../../core/index.ts';
import type { AlarmRule } from '../../domain/index.ts';
import { evaluateThreshold, evaluateRate, evaluateZone, evaluateStatus, staleSeen, staleTick, initialState, type RuleState, type Outcome } from '../../domain/index.ts';
import type { Registry, DeviceEntry } from '../devices/index.ts';
import type { Alarms } from '../alarms/index.ts';

export function createRules(deps: { bus: Bus; clock: Clock; registry: Registry; alarms: Alarms }, config: { tickMs: number }) {
  const { bus, clock, registry, alarms } = deps;
  const states = new Map<string, RuleState & { lastTs?: number }>();
  let timer: NodeJS.Timeout | null = null;

  const stateKey = (deviceId: string, type: string) => `${deviceId}\u0000${type}`;
  function stateOf(deviceId: string, rule: AlarmRule): RuleState & { lastTs?: number } {
    const k = stateKey(deviceId, rule.type);
    let s = states.get(k);
    if (!s) {
      s = initialState(rule, clock.now());
      // An alarm still active from before a restart is the rule's starting point, so it can clear.
      const open = alarms.activeFor(deviceId, rule.type);
      if (open) s.current = open.severity;
      states.set(k, s);
    }
    return s;
  }

  function settle(entry: DeviceEntry, rule: AlarmRule, outcome: Outcome, receivedAt?: number): void {
    states.set(stateKey(entry.device.id, rule.type), outcome.state);
    if (!outcome.change) return;
    alarms.apply(entry.device, rule, outcome.change.to, outcome.change.details, receivedAt);
  }

  function onReadings(rows: StoredReading[]): void {
    for (const r of rows) {
      const entry = registry.get(r.deviceId);
      if (!entry) continue;
      for (const rule of entry.profile.rules) {
        if (rule.kind === 'offline' || rule.point !== r.point) continue;
        if (rule.kind === 'stale') { settle(entry, rule, staleSeen(rule, stateOf(r.deviceId, rule), clock.now())); continue; }
        const s = stateOf(r.deviceId, rule);
        // Readings may arrive out of order across a batch; a rule only moves forward in time.
        if (s.lastTs !== undefined && r.ts < s.lastTs) continue;
        const out = judge(rule, s, r.ts, r.value);
        if (!out) continue;
        settle(entry, rule, { state: { ...out.state, lastTs: r.ts } as RuleState, change: out.change }, r.receivedAt);
      }
    }
  }

  /**
   * The kinds judged reading by reading. The others run elsewhere: stale on the tick, offline on
   * status, forecast and anomaly in their own modules (they need a window or a model). The `never`
   * makes a new kind a type error here rather than a rule silently judged as something else.
   */
  function judge(rule: AlarmRule, s: RuleState, ts: number, value: number): Outcome | null {
    switch (rule.kind) {
      case 'threshold': return evaluateThreshold(rule, s, ts, value);
      case 'zone': return evaluateZone(rule, s, ts, value);
      case 'rate': return evaluateRate(rule, s, ts, value);
      case 'stale': case 'offline': case 'forecast': case 'anomaly': return null;
      default: { const unknown: never = rule; return unknown; }
    }
  }

  function onTick(): void {
    const now = clock.now();
    for (const entry of registry.devices()) {
      for (const rule of entry.profile.rules) if (rule.kind === 'stale') settle(entry, rule, staleTick(rule, stateOf(entry.device.id, rule), now));
    }
  }

  function onStatus(ev: { deviceId: string; status: 'online' | 'offline'; ts: number }): void {
    const entry = registry.get(ev.deviceId);
    if (!entry) return;
    for (const rule of entry.profile.rules) if (rule.kind === 'offline') settle(entry, rule, evaluateStatus(rule, stateOf(ev.deviceId, rule), ev.status === 'online', ev.ts));
  }

  /** A clear that did not come from the rule (an operator's) resets it: a persisting condition raises anew. */
  function onCleared(a: { deviceId: string; type: string }): void {
    const s = states.get(stateKey(a.deviceId, a.type));
    if (s && s.current !== null) states.delete(stateKey(a.deviceId, a.type));
  }

  return {
    start(): void {
      bus.on('readings.stored', onReadings);
      bus.on('device.status', onStatus);
      bus.on('alarm.cleared', onCleared);
      timer = setInterval(onTick, config.tickMs);
      timer.unref();
    },
    stop(): void {
      bus.off('readings.stored', onReadings);
      bus.off('device.status', onStatus);
      bus.off('alarm.cleared', onCleared);
      if (timer) clearInterval(timer);
      timer = null;
    },
    /** Runs the stale check now (tests drive it with a manual clock). */
    tick: onTick,
  };
}

export type Rules = ReturnType<typeof createRules>;
