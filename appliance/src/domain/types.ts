// Outpost's vocabulary as plain types: shared by every module, no behaviour here.

export type Severity = 'CRITICAL' | 'MAJOR' | 'MINOR' | 'WARNING';

export type AlarmStatus = 'ACTIVE_UNACK' | 'ACTIVE_ACK' | 'CLEARED_UNACK' | 'CLEARED_ACK';

/**
 * Work-order states. The field states (accepted, en_route, in_progress = on site, waiting_*) come from the
 * engineer's app; verifying is the box watching live data after the engineer signed off an alarm's work order.
 */
export type TicketStatus =
  | 'new' | 'assigned' | 'accepted' | 'en_route' | 'in_progress' | 'waiting_parts' | 'waiting_customer'
  | 'resolved' | 'verifying' | 'closed' | 'cancelled';

/** Trades a work order is for and an engineer is skilled in. */
export const TRADES = ['electrical', 'plumbing', 'hvac', 'mechanical', 'cleaning', 'security', 'it', 'general'] as const;
export type Trade = (typeof TRADES)[number];

/** Where a work order came from. */
export type TicketSource = 'alarm' | 'schedule' | 'manual' | 'report';

/** One measured value of one Point at one time. ts is epoch milliseconds. */
export interface Reading {
  deviceId: string;
  point: string;
  ts: number;
  value: number;
}

/** One measured quantity a DeviceProfile declares. */
export interface PointDef {
  key: string;
  name: string;
  unit?: string;
  /** Physical bounds: a value outside them is rejected as implausible, not alarmed on. */
  min?: number;
  max?: number;
}

/** A threshold level: "above 80 for 30 s is MAJOR". */
export interface ThresholdLevel {
  severity: Severity;
  /** Exactly one of above / below. */
  above?: number;
  below?: number;
  /** How long the condition must hold before the level is entered. */
  forS?: number;
}

export type AlarmRule =
  | {
      kind: 'threshold';
      /** Alarm type, e.g. "bearing_overheat": one active alarm per (originator, type). */
      type: string;
      point: string;
      levels: ThresholdLevel[];
      /** Hysteresis: the distance back across the lowest level's limit before the alarm clears. */
      hysteresis?: number;
      ticket?: TicketPolicy;
    }
  | {
      kind: 'rate';
      type: string;
      point: string;
      /** Absolute change per minute that raises the alarm. */
      maxPerMin: number;
      /** Window the slope is measured over. */
      windowS: number;
      severity: Severity;
      ticket?: TicketPolicy;
    }
  | {
      kind: 'stale';
      type: string;
      point: string;
      /** No reading for this long raises the alarm; the next reading clears it. */
      afterS: number;
      severity: Severity;
      ticket?: TicketPolicy;
    }
  | {
      kind: 'offline';
      type: string;
      severity: Severity;
      ticket?: TicketPolicy;
    }
  | {
      /** ISO 10816-3 vibration severity zones (domain/vibration-zones.ts): alarms in zone C and D. */
      kind: 'zone';
      type: string;
      point: string;
      machineGroup: 1 | 2;
      foundation: 'rigid' | 'flexible';
      /** Severity per zone; defaults C: WARNING, D: MAJOR. */
      severities?: { C?: Severity; D?: Severity };
      forS?: number;
      hysteresis?: number;
      ticket?: TicketPolicy;
    }
  | {
      /**
       * Trend to threshold (domain/forecast.ts): a preventive alarm while the point's trend is predicted
       * to cross the lowest level of the threshold rule `of` within `leadTimeS`.
       */
      kind: 'forecast';
      type: string;
      point: string;
      /** The threshold rule (by type) whose lowest level is the limit. */
      of: string;
      leadTimeS: number;
      /** The recent window the trend is fitted on. */
      windowS: number;
      severity: Severity;
      ticket?: TicketPolicy;
    }
  | {
      /**
       * Streaming anomaly detection (domain/anomaly/detector.ts): the point's own learned normal, one
       * configuration for every point. Raised when a reading scores at or above `threshold` (0..1,
       * default 0.51, the NAB-optimised one); cleared after `clearAfterS` (default 900) without one.
       */
      kind: 'anomaly';
      type: string;
      point: string;
      severity: Severity;
      threshold?: number;
      clearAfterS?: number;
      ticket?: TicketPolicy;
    };

/** Which alarms of a rule open a work order. */
export interface TicketPolicy {
  minSeverity: Severity;
  /** The trade its work orders go to; 'general' when unset. */
  category?: Trade;
}

export interface DeviceProfile {
  id: string;
  name: string;
  points: PointDef[];
  rules: AlarmRule[];
}

export interface Alarm {
  id: string;
  siteId: string;
  assetId: string | null;
  deviceId: string;
  type: string;
  severity: Severity;
  status: AlarmStatus;
  ruleKind: AlarmRule['kind'];
  startTs: number;
  updateTs: number;
  ackTs: number | null;
  clearTs: number | null;
  /** What made it fire: point, value, rule parameters. */
  details: Record<string, unknown>;
}

export interface Ticket {
  id: string;
  siteId: string;
  assetId: string | null;
  alarmType: string | null;
  alarmId: string | null;
  title: string;
  status: TicketStatus;
  priority: Severity;
  createdTs: number;
  updatedTs: number;
  /** How many alarms have attached to this ticket (the first included). */
  alarmCount: number;
  /** Preventive work orders: when the trend is predicted to cross its limit (ms); scheduled ones: when they fall due. */
  predictedTs?: number | null;
  source: TicketSource;
  category: Trade;
  /** The zone the work is in (the asset's zone, or where a report was made). */
  zoneId: string | null;
  /** Engineer id of the current assignee. */
  assignee: string | null;
  /** What the reporter or operator wrote (manual and report tickets). */
  description: string | null;
}

/** Someone dispatch can send, or the escalation ladder can reach (supervisor, site manager). */
export type EngineerRole = 'engineer' | 'supervisor' | 'manager';

export interface Engineer {
  id: string;
  siteId: string;
  /** The dashboard/app login (users.username, role 'engineer'); null for someone reached only by phone/webhook. */
  username: string | null;
  name: string;
  phone: string | null;
  role: EngineerRole;
  active: boolean;
  /** Skills, certificates, zones, shifts and on-call rota: dispatch's business (modules/dispatch), kept as one document. */
  profile: Record<string, unknown>;
  /** Last known place: a zone, from a QR check-in or the app's position. */
  locationZoneId: string | null;
  locationTs: number | null;
}
