// The one settings schema: every key, its default and its bounds.
import Type from 'typebox';

const section = <T extends Type.TProperties>(props: T) => Type.Object(props, { default: {}, additionalProperties: false });

export const ConfigSchema = Type.Object(
  {
    /** Where the SQLite file and other state live. */
    dataDir: Type.String({ default: 'data' }),
    log: section({ level: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('silent')], { default: 'info' }) }),
    http: section({
      host: Type.String({ default: '0.0.0.0' }),
      port: Type.Integer({ default: 8080, minimum: 0, maximum: 65535 }),
    }),
    mqtt: section({
      host: Type.String({ default: '0.0.0.0' }),
      port: Type.Integer({ default: 1883, minimum: 0, maximum: 65535 }),
      /** Largest accepted PUBLISH payload; bigger ones are rejected and counted. */
      maxPayloadBytes: Type.Integer({ default: 65536, minimum: 256 }),
    }),
    storage: section({
      /** Raw readings are kept this long, then only their 1-minute rollups. */
      rawRetentionDays: Type.Number({ default: 7, exclusiveMinimum: 0 }),
      rollupRetentionDays: Type.Number({ default: 365, exclusiveMinimum: 0 }),
      /** Group commit: a batch is written when it has this many rows or is this old. */
      batchMaxRows: Type.Integer({ default: 2000, minimum: 1 }),
      batchMaxDelayMs: Type.Integer({ default: 4, minimum: 0, maximum: 1000 }),
      /** How often rollup and retention run. */
      maintenanceIntervalS: Type.Integer({ default: 60, minimum: 1 }),
    }),
    ingest: section({
      /** A reading stamped further ahead than this is rejected (device clock wrong). */
      maxFutureSkewS: Type.Integer({ default: 300, minimum: 0 }),
    }),
    rules: section({
      /** How often stale-data rules are checked. */
      tickMs: Type.Integer({ default: 1000, minimum: 10 }),
    }),
    tickets: section({
      /** Evidence: the readings window captured before the alarm started. */
      evidenceBeforeS: Type.Integer({ default: 900, minimum: 0 }),
    }),
    verify: section({
      /** After an alarm's work order is signed off, its readings must stay in their normal band this long before it closes. */
      holdS: Type.Integer({ default: 900, minimum: 1 }),
      /** Fewer readings than this during the hold is no proof: the work order reopens (no data). */
      minReadings: Type.Integer({ default: 3, minimum: 1 }),
      /** How often holds that have run their time are judged. */
      tickMs: Type.Integer({ default: 1000, minimum: 10 }),
    }),
    sla: section({
      /** How often open work orders' clocks and escalation ladders are looked at. */
      tickS: Type.Number({ default: 15, minimum: 0.01 }),
      /** How long an assignee has to accept (or acknowledge the alert) before the ladder's first step, by priority. */
      ackMins: Type.Object({
        CRITICAL: Type.Number({ default: 5, exclusiveMinimum: 0 }),
        MAJOR: Type.Number({ default: 15, exclusiveMinimum: 0 }),
        MINOR: Type.Number({ default: 30, exclusiveMinimum: 0 }),
        WARNING: Type.Number({ default: 60, exclusiveMinimum: 0 }),
      }, { default: {}, additionalProperties: false }),
      /** The wait between one level of the ladder and the next (next engineer -> supervisor -> manager). */
      stepMins: Type.Number({ default: 15, exclusiveMinimum: 0 }),
    }),
    auth: section({
      /** First admin password; when unset on first start one is generated and printed once. */
      adminPassword: Type.Optional(Type.String({ minLength: 8 })),
      sessionTtlHours: Type.Number({ default: 12, exclusiveMinimum: 0 }),
    }),
    modbus: section({
      /** Adapter families, one folder each with its map.json; empty means the firmware-adapters/ folder shipped with the box. */
      adaptersDir: Type.String({ default: '' }),
      /** How long one request may wait for its answer, and how often a silent one is retried (waits double from backoffMs). */
      timeoutMs: Type.Integer({ default: 1000, minimum: 10, maximum: 60000 }),
      retries: Type.Integer({ default: 2, minimum: 0, maximum: 10 }),
      backoffMs: Type.Integer({ default: 200, minimum: 0 }),
      /** A device that stops answering is polled less often, down to once per this. */
      maxBackoffMs: Type.Integer({ default: 60000, minimum: 10 }),
      /** Unused registers a block read may span to join two neighbours (0: only touching ones). */
      maxGap: Type.Integer({ default: 8, minimum: 0, maximum: 120 }),
    }),
    dispatch: section({
      /** Off: tickets wait for an operator to assign them. */
      enabled: Type.Boolean({ default: true }),
      /** How much each factor counts in a candidate's score (domain/dispatch-scoring.ts); 0 turns one off. */
      weights: section({
        skill: Type.Number({ default: 3, minimum: 0 }),
        travel: Type.Number({ default: 2, minimum: 0 }),
        load: Type.Number({ default: 2, minimum: 0 }),
        sla: Type.Number({ default: 2, minimum: 0 }),
        criticality: Type.Number({ default: 1, minimum: 0 }),
        parts: Type.Number({ default: 2, minimum: 0 }),
      }),
      /** A QR check-in or app position older than this no longer says where someone is; their home zone does. */
      locationFreshMin: Type.Integer({ default: 240, minimum: 1 }),
      /** Each open job on an engineer delays their next arrival by this much (the SLA factor's ETA). */
      minutesPerOpenJob: Type.Integer({ default: 15, minimum: 0 }),
      /** How often work nobody could take is looked at again (shifts start on the clock). */
      retryS: Type.Integer({ default: 60, minimum: 1 }),
    }),
    kb: section({
      /** Largest document one import takes (POST /api/v1/kb/import, npm run kb:import). */
      importMaxBytes: Type.Integer({ default: 262144, minimum: 1024, maximum: 8388608 }),
      /** A work order's fault codes: device events this long before it opened (or after). */
      eventWindowS: Type.Integer({ default: 1800, minimum: 0 }),
    }),
    notify: section({
      /** Minutes a person has to acknowledge an alert, per ticket priority (the escalation ladder's no-ack step). */
      ackMins: Type.Object({
        CRITICAL: Type.Number({ default: 5, exclusiveMinimum: 0 }), MAJOR: Type.Number({ default: 15, exclusiveMinimum: 0 }),
        MINOR: Type.Number({ default: 30, exclusiveMinimum: 0 }), WARNING: Type.Number({ default: 60, exclusiveMinimum: 0 }),
      }, { default: {}, additionalProperties: false }),
      /** The box's address as people's phones reach it (http://outpost.local:8080): makes links in webhooks and SMS absolute. */
      publicUrl: Type.String({ default: '' }),
      /** A failed delivery is tried again after retryBaseMs, doubling up to retryMaxMs, at most maxAttempts times. */
      retryBaseMs: Type.Integer({ default: 5000, minimum: 1 }),
      retryMaxMs: Type.Integer({ default: 600000, minimum: 1 }),
      maxAttempts: Type.Integer({ default: 8, minimum: 1, maximum: 100 }),
      /** How often due retries are looked for. */
      tickMs: Type.Integer({ default: 1000, minimum: 10 }),
      /** How long one webhook, gateway or push request may take. */
      timeoutMs: Type.Integer({ default: 5000, minimum: 100, maximum: 60000 }),
      /** VAPID contact (RFC 8292 "sub"): a mailto: or https: address of whoever runs the box. */
      vapidSubject: Type.String({ default: 'mailto:admin@outpost.invalid', pattern: '^(mailto:|https://)' }),
      /** A generic SMS/voice HTTP gateway: POST {to, text} JSON, with a bearer token when set. Empty url: off. */
      sms: section({ url: Type.String({ default: '' }), token: Type.String({ default: '' }) }),
      /** Site-wide group robots (config file only): every alert of the site (or of every site without siteId) also goes there. */
      groups: Type.Array(Type.Object({
        siteId: Type.Optional(Type.String()),
        kind: Type.Union([Type.Literal('wecom'), Type.Literal('dingtalk'), Type.Literal('feishu')]),
        url: Type.String({ pattern: '^https?://' }),
        secret: Type.Optional(Type.String()),
      }, { additionalProperties: false }), { default: [] }),
    }),
    field: section({
      /** The box's address as phones reach it (e.g. https://outpost.local), written into QR labels; empty: the address the label was fetched from. */
      publicUrl: Type.String({ default: '' }),
      /** Largest photo the engineer app may upload (it downsizes them first); bigger ones get OUTPOST_PAYLOAD_TOO_LARGE. */
      photoMaxBytes: Type.Integer({ default: 8 * 1024 * 1024, minimum: 1024 }),
    }),
    demo: section({
      /** auto: run the demo factory while no real device is configured. */
      enabled: Type.Union([Type.Literal('auto'), Type.Boolean()], { default: 'auto' }),
      /** Time multiplier for the demo simulator (tests use it to reach the overheat quickly). */
      speedup: Type.Number({ default: 1, minimum: 1, maximum: 1000 }),
      /** The demo roster's engineer-app logins (eng.li, eng.wang, ...) use this password, only while the demo runs. */
      engineerPassword: Type.String({ default: 'demo-engineer', minLength: 8 }),
    }),
  },
  { additionalProperties: false },
);

export type Config = Type.Static<typeof ConfigSchema>;
