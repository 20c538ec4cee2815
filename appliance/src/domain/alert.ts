// Alerts to people: what one is, when it must be acknowledged, and how a failed delivery is retried.
import type { Severity } from './types.ts';

export type AlertReason = 'assigned' | 'escalated' | 'sla_warning' | 'sla_breached';

/** cancelled: the alert was acknowledged before this channel got through, so it was not sent any more. */
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

/** One channel's try at reaching the person (target: '' for the person's own address, 'group:<n>' for a site robot, a push subscription id). */
export interface AlertDelivery {
  channel: string;
  target: string;
  status: DeliveryStatus;
  attempts: number;
  lastTs: number | null;
  nextTs: number | null;
  detail: string | null;
}

/** What the engineer's app, the push payload and the webhooks show; also the SSE `alert` event's data. */
export interface Alert {
  id: string;
  ticketId: string;
  engineerId: string;
  siteId: string;
  reason: AlertReason;
  /** Escalation level for reason 'escalated'; null otherwise. */
  level: number | null;
  createdTs: number;
  ackDueTs: number;
  ackedTs: number | null;
  ackedBy: string | null;
  priority: Severity;
  ticketTitle: string;
  assetId: string | null;
  assetName: string | null;
  zoneId: string | null;
  zoneName: string | null;
  lang: 'zh-CN' | 'en';
  /** The rendered message in the person's language. */
  title: string;
  body: string;
  /** Where the engineer app opens the job (absolute when notify.publicUrl is set). */
  url: string;
  deliveries: AlertDelivery[];
}

export type AckMins = Record<Severity, number>;

/** The acknowledgement deadline: created + the priority's minutes (the escalation ladder's no-ack step reads it). */
export function ackDueTs(createdTs: number, priority: Severity, ackMins: AckMins): number {
  return createdTs + Math.round((ackMins[priority] ?? ackMins.MINOR) * 60_000);
}

/** Exponential backoff after `attempts` failed tries: base, 2*base, 4*base ... capped at max. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export type SendOutcome = { result: 'sent'; detail?: string } | { result: 'retry'; detail: string } | { result: 'failed'; detail: string; gone?: boolean };

/**
 * An HTTP answer to a delivery: 2xx sent; 408, 425, 429 and 5xx are the receiver's trouble and worth another try;
 * any other 4xx is ours (wrong URL, key or signature) and will not get better by repeating it.
 */
export function classifyHttp(status: number): SendOutcome['result'] {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return 'failed';
}

/** The person's language from their roster profile (profile.lang), zh-CN unless they chose English. */
export function personLang(profile: Record<string, unknown>): 'zh-CN' | 'en' {
  const l = profile.lang ?? profile.language;
  return typeof l === 'string' && l.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}
