// The box's Prometheus metrics, one registry per box (tests run several boxes in one process).
import { Registry, Counter, Histogram, Gauge, collectDefaultMetrics } from 'prom-client';

export function createMetrics(opts: { databaseBytes: () => number; defaultMetrics?: boolean }) {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'outpost_process_' });
  const m = {
    registry,
    readingsIngested: new Counter({ name: 'outpost_readings_ingested_total', help: 'Readings accepted and committed to SQLite', registers: [registry] }),
    readingsRejected: new Counter({ name: 'outpost_readings_rejected_total', help: 'Readings or messages rejected, by device and error code', labelNames: ['device', 'code'], registers: [registry] }),
    mqttRefused: new Counter({ name: 'outpost_mqtt_refused_total', help: 'MQTT connects and publishes refused, by reason', labelNames: ['reason'], registers: [registry] }),
    authFailures: new Counter({ name: 'outpost_auth_failures_total', help: 'Failed dashboard logins', registers: [registry] }),
    alarmsRaised: new Counter({ name: 'outpost_alarms_raised_total', help: 'Alarms raised, by severity', labelNames: ['severity'], registers: [registry] }),
    ticketsOpened: new Counter({ name: 'outpost_tickets_opened_total', help: 'Work orders opened', registers: [registry] }),
    ticketsAssigned: new Counter({ name: 'outpost_tickets_assigned_total', help: 'Work-order assignments, by who decided (dispatch, operator, escalation)', labelNames: ['by'], registers: [registry] }),
    notificationsSent: new Counter({ name: 'outpost_notifications_sent_total', help: 'Alerts sent to people, by channel and result', labelNames: ['channel', 'result'], registers: [registry] }),
    slaBreaches: new Counter({ name: 'outpost_sla_breaches_total', help: 'SLA clocks that passed their deadline, by clock (response, resolution)', labelNames: ['clock'], registers: [registry] }),
    escalations: new Counter({ name: 'outpost_escalations_total', help: 'Escalation ladder steps taken, by level and reason', labelNames: ['level', 'reason'], registers: [registry] }),
    slaRejected: new Counter({ name: 'outpost_sla_rejected_total', help: 'SLA policies and site calendars refused as invalid', registers: [registry] }),
    fieldRejected: new Counter({ name: 'outpost_field_rejected_total', help: 'Engineer-app requests refused (photo too large or not an image, forged or wrong QR code), by error code', labelNames: ['code'], registers: [registry] }),
    fieldReplays: new Counter({ name: 'outpost_field_replays_total', help: 'Engineer-app requests answered from the idempotency store (an offline outbox replaying)', registers: [registry] }),
    alarmLatency: new Histogram({
      name: 'outpost_alarm_latency_seconds', help: 'From the reading arriving at the box to its alarm being raised',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers: [registry],
    }),
    ingestBatch: new Histogram({ name: 'outpost_ingest_batch_rows', help: 'Rows per SQLite group commit', buckets: [1, 10, 50, 100, 500, 1000, 2000, 5000], registers: [registry] }),
    devicesOnline: new Gauge({ name: 'outpost_devices_online', help: 'Devices connected to the broker', registers: [registry] }),
    databaseBytes: new Gauge({
      name: 'outpost_database_bytes', help: 'Size of the SQLite file and its WAL', registers: [registry],
      collect() { this.set(opts.databaseBytes()); },
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
