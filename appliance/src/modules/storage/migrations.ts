// Numbered schema migrations: append only, never edit one that has shipped.

export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'first loop: sites, devices, readings, alarms, tickets, outbox',
    sql: `
      CREATE TABLE sites (id TEXT PRIMARY KEY, name TEXT NOT NULL, timezone TEXT NOT NULL DEFAULT 'UTC');
      CREATE TABLE zones (id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), name TEXT NOT NULL);
      CREATE TABLE assets (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), zone_id TEXT REFERENCES zones(id),
        name TEXT NOT NULL, type TEXT NOT NULL, criticality INTEGER NOT NULL DEFAULT 2
      );
      -- A profile's points and rules are one JSON document: they are read together and versioned together.
      CREATE TABLE device_profiles (id TEXT PRIMARY KEY, name TEXT NOT NULL, points TEXT NOT NULL, rules TEXT NOT NULL);
      CREATE TABLE devices (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), asset_id TEXT REFERENCES assets(id),
        profile_id TEXT NOT NULL REFERENCES device_profiles(id), name TEXT NOT NULL,
        password_hash TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'unknown', last_seen_ts INTEGER,
        demo INTEGER NOT NULL DEFAULT 0
      );
      -- Point instances: a small integer key keeps the readings table compact.
      CREATE TABLE points (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(id), key TEXT NOT NULL, UNIQUE (device_id, key));
      -- The primary key makes a redelivered QoS 1 reading (same point, same ts) a no-op.
      CREATE TABLE readings (point_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (point_id, ts)) WITHOUT ROWID;
      CREATE TABLE readings_1m (
        point_id INTEGER NOT NULL, ts INTEGER NOT NULL, n INTEGER NOT NULL, min REAL NOT NULL, max REAL NOT NULL, avg REAL NOT NULL,
        PRIMARY KEY (point_id, ts)
      ) WITHOUT ROWID;
      CREATE TABLE rejected_messages (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, device_id TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL);
      CREATE INDEX rejected_messages_device ON rejected_messages (device_id, id);
      CREATE TABLE alarms (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL, asset_id TEXT, device_id TEXT NOT NULL, type TEXT NOT NULL,
        severity TEXT NOT NULL, status TEXT NOT NULL, rule_kind TEXT NOT NULL,
        start_ts INTEGER NOT NULL, update_ts INTEGER NOT NULL, ack_ts INTEGER, clear_ts INTEGER, details TEXT NOT NULL
      );
      -- One active alarm per (originator, type): the database enforces what the model promises.
      CREATE UNIQUE INDEX alarms_one_active ON alarms (device_id, type) WHERE status IN ('ACTIVE_UNACK', 'ACTIVE_ACK');
      CREATE INDEX alarms_start ON alarms (start_ts);
      CREATE TABLE tickets (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL, asset_id TEXT, alarm_type TEXT, alarm_id TEXT, title TEXT NOT NULL,
        status TEXT NOT NULL, priority TEXT NOT NULL, created_ts INTEGER NOT NULL, updated_ts INTEGER NOT NULL,
        alarm_count INTEGER NOT NULL DEFAULT 1, evidence TEXT
      );
      -- One open work order per (asset, alarm type): repeats attach to it.
      CREATE UNIQUE INDEX tickets_one_open ON tickets (asset_id, alarm_type) WHERE status NOT IN ('closed', 'cancelled') AND alarm_type IS NOT NULL;
      CREATE TABLE ticket_events (
        id INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES tickets(id), ts INTEGER NOT NULL, actor TEXT NOT NULL,
        kind TEXT NOT NULL, from_status TEXT, to_status TEXT, note TEXT, data TEXT
      );
      CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
      CREATE TABLE outbox (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, topic TEXT NOT NULL, payload TEXT NOT NULL, sent_ts INTEGER);
      CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_ts IS NULL;
      CREATE TABLE users (username TEXT PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL, created_ts INTEGER NOT NULL);
      CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES users(username), expires_ts INTEGER NOT NULL);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'device events (fault codes from outpost/v1/<site>/<device>/event)',
    sql: `
      CREATE TABLE device_events (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, ts INTEGER NOT NULL, code TEXT NOT NULL, text TEXT, received_ts INTEGER NOT NULL);
      CREATE INDEX device_events_device ON device_events (device_id, ts);
    `,
  },
  {
    version: 3,
    name: 'modbus: each device link (tcp or rtu, unit id, poll interval, adapter family) and the write log',
    sql: `
      -- One row per Modbus device; devices sharing (host, port) or path are units behind one gateway.
      CREATE TABLE modbus_links (
        device_id TEXT PRIMARY KEY REFERENCES devices(id), family TEXT NOT NULL, transport TEXT NOT NULL,
        host TEXT, port INTEGER, path TEXT, baud INTEGER, parity TEXT, unit_id INTEGER NOT NULL, poll_ms INTEGER NOT NULL
      );
      -- Every write an admin asked for, with who, why and what the device said.
      CREATE TABLE modbus_writes (
        id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, device_id TEXT NOT NULL, point TEXT NOT NULL, value REAL NOT NULL,
        fc INTEGER NOT NULL, address INTEGER NOT NULL, username TEXT NOT NULL, reason TEXT NOT NULL, result TEXT NOT NULL, error TEXT
      );
      CREATE INDEX modbus_writes_device ON modbus_writes (device_id, id);
    `,
  },
  {
    version: 4,
    name: 'predictive maintenance: predicted date on work orders, usage counters, maintenance plans and their last service',
    sql: `
      ALTER TABLE tickets ADD COLUMN predicted_ts INTEGER;
      -- Run seconds, starts and cycles per asset; state holds what the next reading is judged against.
      CREATE TABLE usage_counters (asset_id TEXT NOT NULL, counter TEXT NOT NULL, value REAL NOT NULL, state TEXT NOT NULL, updated_ts INTEGER NOT NULL, PRIMARY KEY (asset_id, counter));
      CREATE TABLE maintenance_plans (asset_type TEXT PRIMARY KEY, plan TEXT NOT NULL);
      -- When each task was last done on each asset, and the counters then: the next one falls due from there.
      CREATE TABLE maintenance_tasks (asset_id TEXT NOT NULL, task_id TEXT NOT NULL, done_ts INTEGER NOT NULL, done_counters TEXT NOT NULL, ticket_id TEXT, PRIMARY KEY (asset_id, task_id));
    `,
  },
  {
    version: 5,
    name: 'reject totals per device (stored reject rows are capped)',
    sql: `
      CREATE TABLE reject_totals (device_id TEXT PRIMARY KEY, count INTEGER NOT NULL);
      INSERT INTO reject_totals (device_id, count) SELECT device_id, COUNT(*) FROM rejected_messages GROUP BY device_id;
    `,
  },
  {
    version: 6,
    name: 'work orders that get fixed: source, trade, zone, assignee on tickets; the roster of people',
    sql: `
      ALTER TABLE tickets ADD COLUMN source TEXT NOT NULL DEFAULT 'alarm';
      UPDATE tickets SET source = 'schedule' WHERE alarm_id IS NULL;
      ALTER TABLE tickets ADD COLUMN category TEXT NOT NULL DEFAULT 'general';
      ALTER TABLE tickets ADD COLUMN zone_id TEXT;
      ALTER TABLE tickets ADD COLUMN assignee TEXT;
      ALTER TABLE tickets ADD COLUMN description TEXT;
      UPDATE tickets SET zone_id = (SELECT zone_id FROM assets WHERE assets.id = tickets.asset_id);
      CREATE INDEX tickets_assignee ON tickets (assignee) WHERE assignee IS NOT NULL;
      -- Engineers, supervisors and site managers. profile (skills, certificates, zones, shifts, on-call) is
      -- dispatch's document; the columns are what every module looks people up by.
      CREATE TABLE engineers (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), username TEXT UNIQUE, name TEXT NOT NULL, phone TEXT,
        role TEXT NOT NULL DEFAULT 'engineer', active INTEGER NOT NULL DEFAULT 1, profile TEXT NOT NULL DEFAULT '{}',
        location_zone_id TEXT, location_ts INTEGER
      );
    `,
  },
  {
    version: 7,
    name: 'SLA: policies per (trade, priority), site business hours and holidays, each work order\'s clocks',
    sql: `
      -- Defaults for every trade and priority are filled in by modules/sla at start, so a new trade gets them too.
      CREATE TABLE sla_policies (
        category TEXT NOT NULL, priority TEXT NOT NULL, response_mins REAL NOT NULL, resolve_mins REAL NOT NULL,
        calendar TEXT NOT NULL DEFAULT 'business', PRIMARY KEY (category, priority)
      ) WITHOUT ROWID;
      -- A site with no rows here works Monday to Friday, 09:00-17:00 in its timezone.
      CREATE TABLE site_hours (site_id TEXT NOT NULL REFERENCES sites(id), day INTEGER NOT NULL, open_min INTEGER NOT NULL, close_min INTEGER NOT NULL);
      CREATE INDEX site_hours_site ON site_hours (site_id);
      CREATE TABLE site_holidays (site_id TEXT NOT NULL REFERENCES sites(id), date TEXT NOT NULL, name TEXT, PRIMARY KEY (site_id, date)) WITHOUT ROWID;
      -- Each work order's clocks as last computed from its trail (for lists and dispatch), and when the tick must look
      -- again: the tick reads only the rows that are due, through the partial index.
      CREATE TABLE ticket_sla (
        ticket_id TEXT PRIMARY KEY REFERENCES tickets(id), response_due INTEGER, response_state TEXT NOT NULL,
        resolution_due INTEGER, resolution_state TEXT NOT NULL, paused INTEGER NOT NULL, breached INTEGER NOT NULL,
        level INTEGER NOT NULL, doc TEXT NOT NULL, computed_ts INTEGER NOT NULL, next_check_ts INTEGER
      );
      CREATE INDEX ticket_sla_due ON ticket_sla (next_check_ts) WHERE next_check_ts IS NOT NULL;
    `,
  },
  {
    version: 8,
    name: 'dispatch: the site map (walkways between zones), spare parts, stores and vans, stock, reservations',
    sql: `
      -- Walkways go both ways: one row per pair, a < b.
      CREATE TABLE zone_links (
        a TEXT NOT NULL REFERENCES zones(id), b TEXT NOT NULL REFERENCES zones(id), minutes REAL NOT NULL CHECK (minutes >= 0),
        PRIMARY KEY (a, b), CHECK (a < b)
      ) WITHOUT ROWID;
      -- fits: {assetTypes, alarmTypes, faultCodes}: the jobs the part is needed for.
      CREATE TABLE spare_parts (sku TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_zh TEXT NOT NULL, fits TEXT NOT NULL DEFAULT '{}', low_stock INTEGER NOT NULL DEFAULT 0);
      -- A site store sits in a zone; a van travels with its engineer.
      CREATE TABLE part_stores (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), kind TEXT NOT NULL CHECK (kind IN ('site', 'van')),
        name TEXT NOT NULL, zone_id TEXT REFERENCES zones(id), engineer_id TEXT
      );
      CREATE TABLE part_stock (
        store_id TEXT NOT NULL REFERENCES part_stores(id), sku TEXT NOT NULL REFERENCES spare_parts(sku), qty INTEGER NOT NULL CHECK (qty >= 0),
        PRIMARY KEY (store_id, sku)
      ) WITHOUT ROWID;
      -- held until the job is signed off (consumed) or the ticket is cancelled or changes hands (released).
      CREATE TABLE part_reservations (
        id INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL, store_id TEXT NOT NULL REFERENCES part_stores(id), sku TEXT NOT NULL, qty INTEGER NOT NULL,
        engineer_id TEXT, status TEXT NOT NULL CHECK (status IN ('held', 'consumed', 'released')), created_ts INTEGER NOT NULL, closed_ts INTEGER
      );
      CREATE INDEX part_reservations_ticket ON part_reservations (ticket_id);
      CREATE INDEX part_reservations_held ON part_reservations (store_id, sku) WHERE status = 'held';
    `,
  },
  {
    version: 9,
    name: 'notify: alerts to people, each channel delivery with its retries, Web Push subscriptions',
    sql: `
      -- One alert = one person told about one ticket for one reason; message holds the rendered words and ticket facts.
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, engineer_id TEXT NOT NULL, site_id TEXT NOT NULL, reason TEXT NOT NULL, level INTEGER,
        created_ts INTEGER NOT NULL, ack_due_ts INTEGER NOT NULL, acked_ts INTEGER, acked_by TEXT, message TEXT NOT NULL
      );
      CREATE INDEX alerts_engineer ON alerts (engineer_id, created_ts);
      CREATE INDEX alerts_ticket ON alerts (ticket_id, engineer_id);
      -- Each channel target's state: pending rows with next_ts due are (re)tried; live rows wait for the app (next_ts NULL).
      CREATE TABLE alert_deliveries (
        alert_id TEXT NOT NULL REFERENCES alerts(id), channel TEXT NOT NULL, target TEXT NOT NULL, status TEXT NOT NULL,
        attempts INTEGER NOT NULL, last_ts INTEGER, next_ts INTEGER, detail TEXT, PRIMARY KEY (alert_id, channel, target)
      );
      CREATE INDEX alert_deliveries_due ON alert_deliveries (next_ts) WHERE status = 'pending';
      CREATE TABLE push_subscriptions (id TEXT PRIMARY KEY, engineer_id TEXT NOT NULL, endpoint TEXT NOT NULL UNIQUE, p256dh TEXT NOT NULL, auth TEXT NOT NULL, created_ts INTEGER NOT NULL);
    `,
  },
  {
    version: 10,
    name: 'knowledge base: articles, their tags for exact lookups, a contentless FTS5 index (Chinese as bigrams), job sign-offs kept for past repairs',
    sql: `
      CREATE TABLE kb_articles (
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, language TEXT NOT NULL,
        tags TEXT NOT NULL, steps TEXT NOT NULL, source TEXT NOT NULL, section TEXT NOT NULL, created_ts INTEGER NOT NULL, updated_ts INTEGER NOT NULL,
        UNIQUE (source, section)
      );
      -- Suggestions look articles up by exact tag (fault code E-07, asset type, alarm type); values are tagKey()-normalised.
      CREATE TABLE kb_tags (article_id INTEGER NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE, kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, value, article_id)) WITHOUT ROWID;
      CREATE INDEX kb_tags_article ON kb_tags (article_id);
      -- Contentless: the index holds the transformed text (bigrams, joined codes) only; the original stays in kb_articles.
      CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, tags, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2');
      -- What the engineer signed off, until the ticket closes and becomes a past repair.
      CREATE TABLE kb_signoffs (ticket_id TEXT PRIMARY KEY, engineer_id TEXT NOT NULL, parts TEXT NOT NULL, notes TEXT NOT NULL, ts INTEGER NOT NULL);
    `,
  },
  {
    version: 11,
    name: 'engineer app: QR label secret, job templates, job sheets (checklist progress, check-in, sign-off), photos, idempotency keys',
    sql: `
      -- The box's own secrets (the QR label key): made on first use, never sent anywhere.
      CREATE TABLE box_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      -- Checklists per kind of job; match is {category?, alarmType?, assetType?}, steps carry en + zh text and an optional point and range.
      CREATE TABLE job_templates (id TEXT PRIMARY KEY, name TEXT NOT NULL, match TEXT NOT NULL, steps TEXT NOT NULL, builtin INTEGER NOT NULL DEFAULT 0);
      -- One sheet per work order: the template's steps as they were when work began (later edits do not move a job under
      -- the engineer's feet), the check-in and the sign-off.
      CREATE TABLE job_sheets (ticket_id TEXT PRIMARY KEY, template_id TEXT, steps TEXT NOT NULL, checkin_ts INTEGER, signoff TEXT, signed_ts INTEGER);
      CREATE TABLE job_progress (
        ticket_id TEXT NOT NULL, step_id TEXT NOT NULL, done INTEGER NOT NULL, value REAL, note TEXT, ts INTEGER NOT NULL, by TEXT NOT NULL,
        PRIMARY KEY (ticket_id, step_id)
      );
      CREATE TABLE job_photos (id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL, ts INTEGER NOT NULL, by TEXT NOT NULL, mime TEXT NOT NULL, bytes INTEGER NOT NULL, file TEXT NOT NULL);
      CREATE INDEX job_photos_ticket ON job_photos (ticket_id, ts);
      -- The first answer to each Idempotency-Key per login: the app's offline outbox replays, the box answers once.
      CREATE TABLE idempotency_keys (
        username TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL, body TEXT, ts INTEGER NOT NULL,
        PRIMARY KEY (username, key)
      );
      CREATE INDEX idempotency_keys_ts ON idempotency_keys (ts);
    `,
  },
  {
    version: 12,
    name: 'verification of fixes from live data after sign-off',
    sql: `
      -- One row per sign-off the box checks; state survives a restart (the hold resumes from the stored readings).
      CREATE TABLE verifications (
        id INTEGER PRIMARY KEY, ticket_id TEXT NOT NULL, device_id TEXT NOT NULL, alarm_type TEXT NOT NULL, band TEXT,
        started_ts INTEGER NOT NULL, until_ts INTEGER NOT NULL, state TEXT NOT NULL, result TEXT
      );
      CREATE INDEX verifications_watching ON verifications (state) WHERE state = 'watching';
    `,
  },
  {
    version: 13,
    name: 'zone centres (latitude, longitude) so a phone position can be placed in a zone',
    sql: `
      ALTER TABLE zones ADD COLUMN lat REAL;
      ALTER TABLE zones ADD COLUMN lon REAL;
    `,
  },
];
