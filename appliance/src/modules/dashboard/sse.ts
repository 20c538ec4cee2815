// Live events for the dashboard over Server-Sent Events. Readings are coalesced to the latest
// value per point every 250 ms: a browser needs a live chart, not every row at 20k/s.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StoredReading } from '../../core/index.ts';
import type { Alarm, Ticket } from '../../domain/index.ts';
import type { ApiDeps } from './deps.ts';

const FLUSH_MS = 250;
const SESSION_CHECK_MS = 5_000;

export function eventStream(req: FastifyRequest, reply: FastifyReply, deps: ApiDeps, token: string | undefined): void {
  const { bus } = deps;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write('retry: 2000\n\n');
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  let pending = new Map<string, StoredReading>();
  const onReadings = (rows: StoredReading[]) => { for (const r of rows) pending.set(`${r.deviceId}/${r.point}`, r); };
  const onAlarm = (a: Alarm) => send('alarm', a);
  const onTicket = (t: Ticket) => send('ticket', withSla(t));
  // A warning, breach or escalation changes no ticket field, but the page shows it: the ticket goes out again.
  const onSla = (e: { ticket: Ticket }) => send('ticket', withSla(deps.tickets.get(e.ticket.id)));
  function withSla(t: Ticket): Ticket & { sla?: unknown } {
    try {
      return deps.sla ? { ...t, sla: deps.sla.slaSummary([t]).get(t.id) ?? null } : t;
    } catch {
      return t;
    }
  }
  const onDevice = (d: { deviceId: string; status: string; ts: number }) => send('device', { id: d.deviceId, status: d.status, lastSeenTs: d.ts });

  const timer = setInterval(() => {
    if (!pending.size) return;
    const batch = pending; pending = new Map();
    for (const r of batch.values()) send('reading', { deviceId: r.deviceId, point: r.point, ts: r.ts, value: r.value });
  }, FLUSH_MS);
  // The stream lives as long as its session: a logout or an expiry ends it within SESSION_CHECK_MS.
  const ping = setInterval(() => {
    if (!deps.auth.session(token)) { res.end(); close(); return; }
    res.write(': ping\n\n');
  }, SESSION_CHECK_MS);

  bus.on('readings.stored', onReadings);
  bus.on('alarm.raised', onAlarm); bus.on('alarm.updated', onAlarm); bus.on('alarm.cleared', onAlarm);
  bus.on('ticket.opened', onTicket); bus.on('ticket.updated', onTicket);
  bus.on('sla.changed', onSla); bus.on('ticket.escalated', onSla);
  bus.on('device.status', onDevice);

  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer); clearInterval(ping);
    bus.off('readings.stored', onReadings);
    bus.off('alarm.raised', onAlarm); bus.off('alarm.updated', onAlarm); bus.off('alarm.cleared', onAlarm);
    bus.off('ticket.opened', onTicket); bus.off('ticket.updated', onTicket);
    bus.off('sla.changed', onSla); bus.off('ticket.escalated', onSla);
    bus.off('device.status', onDevice);
  };
  req.raw.on('close', close);
}
