// Reaching people on a real box: assignment -> the engineer's live stream, robots, SMS gateway, MQTT and Web Push
// (decrypted here with the subscription's private key); accepting acks; a restart keeps and retries what was not sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createECDH, createHmac, createDecipheriv, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { ADMIN_PW, login, startBox, until, type TestBox } from './helpers.ts';

interface Hit { path: string; query: URLSearchParams; headers: IncomingMessage['headers']; body: Buffer }

/** A stand-in for every outside service: records each request; statuses are scripted per path (then 200). */
async function fakeServices(): Promise<{ url: string; hits: Hit[]; script: Map<string, number[]>; close(): Promise<void> }> {
  const hits: Hit[] = [];
  const script = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url!, 'http://x');
      hits.push({ path: u.pathname, query: u.searchParams, headers: req.headers, body: Buffer.concat(chunks) });
      const status = script.get(u.pathname)?.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(u.pathname.startsWith('/feishu') ? '{"code":0,"msg":"success"}' : '{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, script, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** A real SSE client over fetch: collects `event:`/`data:` blocks as they arrive. */
async function openStream(httpUrl: string, cookie: string) {
  const ac = new AbortController();
  const res = await fetch(`${httpUrl}/api/v1/me/alerts/stream`, { headers: { cookie }, signal: ac.signal });
  const events: { event: string; data: Record<string, unknown> }[] = [];
  if (res.status === 200) {
    (async () => {
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i); buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    })().catch(() => {});
  }
  return { status: res.status, events, close: () => ac.abort() };
}

/** RFC 8291 decryption with the user agent's keys (aes128gcm, RFC 8188 one record). */
function decryptPush(body: Buffer, ua: { ecdh: ReturnType<typeof createECDH>; auth: Buffer }): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const cipher = body.subarray(21 + idlen);
  const hmac = (key: Buffer, ...data: Buffer[]) => { const h = createHmac('sha256', key); for (const d of data) h.update(d); return h.digest(); };
  const ecdhSecret = ua.ecdh.computeSecret(asPublic);
  const prkKey = hmac(ua.auth, ecdhSecret);
  const ikm = hmac(prkKey, Buffer.from('WebPush: info\0'), ua.ecdh.getPublicKey(), asPublic, Buffer.from([1]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0'), Buffer.from([1])).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0'), Buffer.from([1])).subarray(0, 12);
  const d = createDecipheriv('aes-128-gcm', cek, nonce);
  d.setAuthTag(cipher.subarray(cipher.length - 16));
  const plain = Buffer.concat([d.update(cipher.subarray(0, cipher.length - 16)), d.final()]);
  // Last record: content, then the 0x02 delimiter, then zero padding.
  let end = plain.length - 1;
  while (plain[end] === 0) end--;
  assert.equal(plain[end], 2, 'last-record padding delimiter');
  return plain.subarray(0, end).toString('utf8');
}

/** Checks `vapid t=<JWT>, k=<key>`: an ES256 JWT signed by k, for the push service's origin. */
function checkVapid(header: string, audience: string, publicKey: string): Record<string, unknown> {
  const m = /^vapid t=([^,]+), k=(.+)$/.exec(header);
  assert.ok(m, `vapid authorization: ${header}`);
  const [, jwt, k] = m;
  assert.equal(k, publicKey);
  const [h, p, s] = jwt.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url').toString()), { typ: 'JWT', alg: 'ES256' });
  const raw = Buffer.from(k, 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, format: 'jwk' });
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')), 'ES256 signature verifies');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  assert.equal(claims.aud, audience);
  assert.ok((claims.exp as number) * 1000 > Date.now());
  return claims;
}

async function del(httpUrl: string, cookie: string, endpoint: string): Promise<number> {
  const r = await fetch(`${httpUrl}/api/v1/me/push-subscriptions`, { method: 'DELETE', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ endpoint }) });
  return r.status;
}

async function people(t: TestBox, services: string) {
  const admin = await login(t.httpUrl);
  for (const u of ['alice', 'bob', 'sue']) assert.equal((await admin.post('/api/v1/users', { username: u, password: `${u}-password`, role: 'engineer' })).status, 201);
  t.box.roster.upsert({ id: 'e1', siteId: 'site1', username: 'alice', name: 'Alice', phone: '+8613800000001', role: 'engineer', active: true,
    profile: { lang: 'en', notify: { wecom: `${services}/wecom`, dingtalk: { url: `${services}/dingtalk?access_token=tk`, secret: 'SECding' }, feishu: { url: `${services}/feishu`, secret: 'fs-secret' } } } });
  t.box.roster.upsert({ id: 'e2', siteId: 'site1', username: 'bob', name: 'Bob', phone: null, role: 'engineer', active: true, profile: {} });
  t.box.roster.upsert({ id: 's1', siteId: 'site1', username: 'sue', name: 'Sue', phone: null, role: 'supervisor', active: true, profile: {} });
  // A second supervisor reached only over MQTT (no login), and one who has left (inactive).
  t.box.roster.upsert({ id: 's2', siteId: 'site1', username: null, name: 'Sam', phone: null, role: 'supervisor', active: true, profile: {} });
  t.box.roster.upsert({ id: 's3', siteId: 'site1', username: null, name: 'Sid', phone: null, role: 'supervisor', active: false, profile: {} });
  return { admin, alice: await login(t.httpUrl, 'alice', 'alice-password'), bob: await login(t.httpUrl, 'bob', 'bob-password'), sue: await login(t.httpUrl, 'sue', 'sue-password') };
}

const fast = (services: string, extra: Record<string, unknown> = {}) => ({
  notify: { retryBaseMs: 40, retryMaxMs: 200, tickMs: 20, maxAttempts: 4, publicUrl: 'http://box.test:8080', sms: { url: `${services}/sms`, token: 'sms-token' }, ...extra },
});

test('an assignment reaches that engineer on every channel, and accepting the job acks it', async (t) => {
  const svc = await fakeServices();
  t.after(() => svc.close());
  // A site group robot that refuses (403): counted as failed, never retried.
  const box = await startBox({ overrides: fast(svc.url, { groups: [{ siteId: 'site1', kind: 'wecom', url: `${svc.url}/wecom-group` }] }) });
  t.after(() => box.stop());
  svc.script.set('/wecom-group', [403]);
  svc.script.set('/sms', [500]); // the gateway hiccups once: retried, then sent
  const { admin, alice, bob, sue } = await people(box, svc.url);

  // Alice's phone: a live app stream and a Web Push subscription whose keys only this test holds.
  const ua = { ecdh: createECDH('prime256v1'), auth: randomBytes(16) };
  ua.ecdh.generateKeys();
  const sub = { endpoint: `${svc.url}/push/alice-phone`, keys: { p256dh: ua.ecdh.getPublicKey().toString('base64url'), auth: ua.auth.toString('base64url') } };
  assert.equal((await alice.post('/api/v1/me/push-subscriptions', sub)).status, 201);
  // An old browser of hers whose subscription the push service has dropped (410 Gone).
  const stale = { endpoint: `${svc.url}/push/alice-old-laptop`, keys: { p256dh: sub.keys.p256dh, auth: randomBytes(16).toString('base64url') } };
  svc.script.set('/push/alice-old-laptop', [410]);
  assert.equal((await alice.post('/api/v1/me/push-subscriptions', stale)).status, 201);
  assert.equal((await alice.post('/api/v1/me/push-subscriptions', { endpoint: 'not a url', keys: sub.keys })).status, 400);
  assert.equal((await alice.post('/api/v1/me/push-subscriptions', { endpoint: `${svc.url}/x`, keys: { p256dh: 'AAAA', auth: sub.keys.auth } })).status, 400);
  assert.equal((await admin.post('/api/v1/me/push-subscriptions', sub)).status, 404, 'admin is not on the roster');
  const vapidKey = (await alice.get('/api/v1/push/key')).body.publicKey as string;
  assert.equal(Buffer.from(vapidKey, 'base64url').length, 65);
  const aliceStream = await openStream(box.httpUrl, alice.cookie);
  const bobStream = await openStream(box.httpUrl, bob.cookie);
  t.after(() => { aliceStream.close(); bobStream.close(); });
  assert.equal(aliceStream.status, 200);

  const mq = mqtt.connect(`mqtt://127.0.0.1:${box.mqttPort}`, { username: 'user:admin', password: ADMIN_PW, reconnectPeriod: 0 });
  t.after(() => mq.end(true));
  const mqttMsgs: { topic: string; qos: number; body: Record<string, unknown> }[] = [];
  mq.on('message', (topic, payload, packet) => mqttMsgs.push({ topic, qos: packet.qos, body: JSON.parse(payload.toString()) }));
  await new Promise<void>((resolve, reject) => mq.on('connect', () => mq.subscribe('outpost/v1/site1/alert/+', { qos: 1 }, (err) => (err ? reject(err) : resolve()))));

  const ticket = (await admin.post('/api/v1/tickets', { siteId: 'site1', assetId: 'a1', category: 'mechanical', urgency: 'CRITICAL', title: 'Pump A1 bearing noise' })).body;
  assert.equal((await admin.post(`/api/v1/tickets/${ticket.id}/assign`, { engineerId: 'e1', reason: 'nearest' })).status, 200);

  // Live: Alice's app, not Bob's.
  const live = await until(() => aliceStream.events.find((e) => e.event === 'alert'), 3000, 'alert on alice stream');
  assert.equal(live.data.ticketId, ticket.id);
  assert.equal(live.data.engineerId, 'e1');
  assert.equal(live.data.reason, 'assigned');
  assert.equal(live.data.priority, ticket.priority);
  assert.equal(live.data.zoneId, 'z1');
  assert.equal(live.data.zoneName, 'Zone 1');
  assert.equal(live.data.assetName, 'Pump A1');
  assert.equal(live.data.url, `http://box.test:8080/engineer/#/job/${ticket.id}`);
  assert.equal(live.data.ackDueTs, (live.data.createdTs as number) + 5 * 60_000, 'CRITICAL: 5 minutes to ack');
  assert.match(live.data.title as string, /New job: Pump A1 bearing noise/, 'in Alice\'s language (en)');

  await until(() => svc.hits.filter((h) => h.path === '/sms').length >= 2 && mqttMsgs.length >= 1 && svc.hits.some((h) => h.path === '/push/alice-phone')
    && svc.hits.some((h) => h.path === '/push/alice-old-laptop') && svc.hits.some((h) => h.path === '/feishu') && svc.hits.some((h) => h.path === '/dingtalk') && svc.hits.some((h) => h.path === '/wecom-group'), 5000, 'every channel');
  assert.equal(bobStream.events.filter((e) => e.event === 'alert').length, 0, 'Bob is not told about Alice\'s job');

  // WeCom (personal robot): markdown.
  const wecom = JSON.parse(svc.hits.find((h) => h.path === '/wecom')!.body.toString());
  assert.equal(wecom.msgtype, 'markdown');
  assert.match(wecom.markdown.content, new RegExp(`Ticket: ${ticket.id}`));
  assert.match(wecom.markdown.content, /Zone: Zone 1/);
  // DingTalk: signed in the query as DingTalk checks it.
  const ding = svc.hits.find((h) => h.path === '/dingtalk')!;
  const ts = ding.query.get('timestamp')!;
  assert.equal(ding.query.get('access_token'), 'tk');
  assert.equal(ding.query.get('sign'), createHmac('sha256', 'SECding').update(`${ts}\nSECding`).digest('base64'));
  assert.ok(Math.abs(Number(ts) - Date.now()) < 60_000, 'timestamp in ms, within DingTalk\'s hour');
  assert.equal(JSON.parse(ding.body.toString()).msgtype, 'markdown');
  // Feishu: signed in the body.
  const fs = JSON.parse(svc.hits.find((h) => h.path === '/feishu')!.body.toString());
  assert.equal(fs.msg_type, 'interactive');
  assert.equal(fs.sign, createHmac('sha256', `${fs.timestamp}\nfs-secret`).update('').digest('base64'));
  assert.equal(fs.card.header.template, 'red');
  // SMS gateway: the bearer token and {to, text}; the 500 was tried again.
  const sms = svc.hits.filter((h) => h.path === '/sms');
  assert.equal(sms[1].headers.authorization, 'Bearer sms-token');
  const smsBody = JSON.parse(sms[1].body.toString());
  assert.equal(smsBody.to, '+8613800000001');
  assert.match(smsBody.text, new RegExp(`${ticket.id}[\\s\\S]*http://box\\.test:8080/engineer/#/job/${ticket.id}`));
  // MQTT: QoS 1 on the person's topic.
  assert.equal(mqttMsgs[0].topic, 'outpost/v1/site1/alert/e1');
  assert.equal(mqttMsgs[0].qos, 1);
  assert.equal(mqttMsgs[0].body.ticketId, ticket.id);
  // Web Push: VAPID for the push service's origin, and a body only the subscription's keys open.
  const pushHit = svc.hits.find((h) => h.path === '/push/alice-phone')!;
  assert.equal(pushHit.headers['content-encoding'], 'aes128gcm');
  assert.ok(Number(pushHit.headers.ttl) > 0);
  const claims = checkVapid(pushHit.headers.authorization as string, svc.url, vapidKey);
  assert.match(claims.sub as string, /^mailto:/);
  const payload = JSON.parse(decryptPush(pushHit.body, ua));
  assert.equal(payload.ticketId, ticket.id);
  assert.equal(payload.url, `http://box.test:8080/engineer/#/job/${ticket.id}`);
  assert.match(payload.title, /Pump A1 bearing noise/);
  assert.match(payload.body, /Zone: Zone 1/);

  // What the box recorded and counted.
  await until(async () => {
    const alerts = (await admin.get(`/api/v1/tickets/${ticket.id}/alerts`)).body as { deliveries: { channel: string; status: string }[] }[];
    return alerts[0]?.deliveries.every((d) => d.status !== 'pending') && alerts;
  }, 5000, 'deliveries settled');
  const [alert] = (await admin.get(`/api/v1/tickets/${ticket.id}/alerts`)).body;
  const status = alert.deliveries.map((d: { channel: string; target: string; status: string }) => `${d.channel}${d.target.startsWith('group') ? `:${d.target}` : ''}=${d.status}`).sort();
  assert.deepEqual(status, ['dingtalk=sent', 'feishu=sent', 'live=sent', 'mqtt=sent', 'push=failed', 'push=sent', 'sms=sent', 'wecom:group:0=failed', 'wecom=sent']);
  // The 410 removed the dead subscription: there is nothing left to unsubscribe; the live one still is.
  assert.equal(await del(box.httpUrl, alice.cookie, stale.endpoint), 404);
  assert.equal(await del(box.httpUrl, alice.cookie, sub.endpoint), 200);
  assert.equal(alert.deliveries.find((d: { channel: string }) => d.channel === 'sms').attempts, 2);
  assert.equal(svc.hits.filter((h) => h.path === '/wecom-group').length, 1, 'a 4xx is not retried');
  const metrics = (await fetch(`${box.httpUrl}/metrics`).then((r) => r.text()));
  assert.match(metrics, /outpost_notifications_sent_total\{channel="sms",result="retry"\} 1/);
  assert.match(metrics, /outpost_notifications_sent_total\{channel="sms",result="sent"\} 1/);
  assert.match(metrics, /outpost_notifications_sent_total\{channel="wecom",result="failed"\} 1/);
  assert.equal((await admin.get('/api/v1/me/alerts')).status, 404, 'the admin login has no alerts of its own');
  assert.equal((await alice.get('/api/v1/tickets/' + ticket.id + '/alerts')).status, 403, 'the ticket\'s alert log is for staff');

  // Alice accepts: her alert is acked, the ladder hears it, her app gets the ack.
  const acked: unknown[] = [];
  box.box.bus.on('alert.acked', (e) => acked.push(e));
  assert.equal((await alice.post(`/api/v1/tickets/${ticket.id}/transition`, { to: 'accepted' })).status, 200);
  const mine = (await alice.get('/api/v1/me/alerts')).body;
  assert.equal(mine.length, 1);
  assert.ok(mine[0].ackedTs > 0);
  assert.equal(mine[0].ackedBy, 'e1');
  assert.equal(acked.length, 1);
  assert.deepEqual(Object.keys(acked[0] as object).sort(), ['engineerId', 'ticketId', 'ts']);
  assert.equal((acked[0] as { ticketId: string }).ticketId, ticket.id);
  await until(() => aliceStream.events.find((e) => e.event === 'ack'), 2000, 'ack on the stream');

  // Escalation to a role reaches the site's supervisor, who acks explicitly; Bob cannot ack Sue's alert.
  box.box.bus.emit('ticket.escalated', { ticket: box.box.tickets.get(ticket.id), level: 2, reason: 'response_overdue', target: { role: 'supervisor', engineerId: 's1' } });
  assert.deepEqual(box.box.notify.forTicket(ticket.id).filter((a) => a.reason === 'escalated').map((a) => a.engineerId).sort(), ['s1', 's2'], 'every active supervisor of the site');
  const sueAlerts = (await sue.get('/api/v1/me/alerts')).body;
  assert.equal(sueAlerts.length, 1);
  assert.equal(sueAlerts[0].reason, 'escalated');
  assert.equal(sueAlerts[0].level, 2);
  assert.match(sueAlerts[0].title, /工单升级（第 2 级）/, 'Sue reads zh-CN, the default');
  assert.equal((await bob.post(`/api/v1/me/alerts/${sueAlerts[0].id}/ack`)).status, 404);
  const ack = await sue.post(`/api/v1/me/alerts/${sueAlerts[0].id}/ack`);
  assert.equal(ack.status, 200);
  assert.ok(ack.body.ackedTs > 0);
  assert.equal(acked.length, 2);
  // An SLA breach goes to the supervisor too.
  box.box.bus.emit('sla.changed', { ticket: box.box.tickets.get(ticket.id), clock: 'resolution', state: 'breached', dueTs: Date.now() });
  assert.equal((await sue.get('/api/v1/me/alerts')).body[0].reason, 'sla_breached');
  await box.box.notify.settle();
});

test('a restart keeps unsent and unacked alerts and retries them; the app gets what it missed when it connects', async (t) => {
  const svc = await fakeServices();
  t.after(() => svc.close());
  const first = await startBox({ overrides: fast(svc.url, { retryBaseMs: 60_000, maxAttempts: 8 }) });
  t.after(() => first.stop());
  svc.script.set('/sms', [503]);
  const { admin } = await people(first, svc.url);
  const ticket = (await admin.post('/api/v1/tickets', { siteId: 'site1', assetId: 'a2', category: 'plumbing', urgency: 'MINOR', title: 'Leak under A2' })).body;
  await admin.post(`/api/v1/tickets/${ticket.id}/assign`, { engineerId: 'e1' });
  await until(() => svc.hits.some((h) => h.path === '/sms'), 3000, 'first SMS try');
  await first.box.notify.settle();
  const before = first.box.notify.forTicket(ticket.id)[0];
  assert.equal(before.deliveries.find((d) => d.channel === 'sms')!.status, 'pending');
  assert.equal(before.deliveries.find((d) => d.channel === 'live')!.status, 'pending', 'Alice\'s app was not open');
  await first.stop();

  // Same data folder; the gateway is back; retries come quickly now.
  const second = await startBox({ dir: first.dir, overrides: fast(svc.url, { retryBaseMs: 40 }) });
  t.after(() => second.stop());
  // The row was due in a minute under the first box's backoff: bring it forward as time passing would.
  second.box.db.prepare("UPDATE alert_deliveries SET next_ts = 0 WHERE channel = 'sms'").run();
  await until(() => svc.hits.filter((h) => h.path === '/sms').length >= 2, 3000, 'SMS retried after restart');
  await until(() => second.box.notify.forTicket(ticket.id)[0].deliveries.find((d) => d.channel === 'sms')!.status === 'sent', 3000, 'sms sent');
  const alice = await login(second.httpUrl, 'alice', 'alice-password');
  const mine = (await alice.get('/api/v1/me/alerts')).body;
  assert.equal(mine.length, 1);
  assert.equal(mine[0].ackedTs, null, 'still unacknowledged');
  const stream = await openStream(second.httpUrl, alice.cookie);
  t.after(() => stream.close());
  const missed = await until(() => stream.events.find((e) => e.event === 'alert'), 3000, 'missed alert replayed');
  assert.equal(missed.data.ticketId, ticket.id);
  await until(() => second.box.notify.forTicket(ticket.id)[0].deliveries.find((d) => d.channel === 'live')!.status === 'sent', 2000, 'live delivered');
  await second.box.notify.settle();
});
