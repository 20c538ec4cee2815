// The channels an alert goes out on. A channel is small: which targets it has for a person, and send(alert, person, target).
import type { Alert, Engineer, SendOutcome } from '../../domain/index.ts';
import { classifyHttp } from '../../domain/index.ts';
import { dingtalkRequest, feishuRequest, robotAnswer, smsRequest, wecomRequest, type HttpRequestSpec, type RobotMessage } from './formats.ts';
import { openWord } from './messages.ts';
import { pushRequest, type PushStore } from './push.ts';

export interface Channel {
  name: string;
  /** The live channel is not retried on a timer: it waits for the person's app to connect. */
  waitsForListener?: boolean;
  targets(person: Engineer, alert: Alert): string[];
  send(alert: Alert, person: Engineer, target: string): Promise<SendOutcome> | SendOutcome;
}

export type RobotKind = 'wecom' | 'dingtalk' | 'feishu';
export interface GroupRobot { siteId?: string; kind: RobotKind; url: string; secret?: string }
export interface ChannelConfig {
  timeoutMs: number;
  sms: { url: string; token: string };
  groups: readonly GroupRobot[];
  vapidSubject: string;
  /** Aborts every request under way when the box stops. */
  signal: () => AbortSignal;
}

async function post(req: HttpRequestSpec | { url: string; headers: Record<string, string>; body: string | Uint8Array; method?: string }, cfg: ChannelConfig): Promise<{ status: number; text: string } | { error: string }> {
  try {
    const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: typeof req.body === 'string' ? req.body : new Uint8Array(req.body), signal: AbortSignal.any([AbortSignal.timeout(cfg.timeoutMs), cfg.signal()]) });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { error: e.cause?.code ?? e.name ?? 'network error' };
  }
}

function httpOutcome(r: { status: number; text: string } | { error: string }): SendOutcome {
  if ('error' in r) return { result: 'retry', detail: r.error };
  const result = classifyHttp(r.status);
  return result === 'sent' ? { result, detail: `HTTP ${r.status}` } : { result, detail: `HTTP ${r.status} ${r.text.slice(0, 120)}` };
}

/** The person's own robot address from profile.notify: a URL string or {url, secret}. */
function personal(person: Engineer, kind: RobotKind): { url: string; secret?: string } | null {
  const n = person.profile.notify as Record<string, unknown> | undefined;
  const v = n?.[kind];
  if (typeof v === 'string' && v) return { url: v };
  if (v && typeof v === 'object' && typeof (v as { url?: unknown }).url === 'string') return v as { url: string; secret?: string };
  return null;
}

/** profile.notify.<channel> === false turns a channel off for one person. */
function optedOut(person: Engineer, channel: string): boolean {
  const n = person.profile.notify as Record<string, unknown> | undefined;
  return n?.[channel] === false;
}

export function robotChannel(kind: RobotKind, cfg: ChannelConfig, now: () => number): Channel {
  const groups = () => cfg.groups.map((g, i) => ({ g, i })).filter(({ g }) => g.kind === kind);
  const resolve = (person: Engineer, alert: Alert, target: string) => {
    if (target === '') return personal(person, kind);
    const i = Number(target.slice('group:'.length));
    const g = cfg.groups[i];
    return g && g.kind === kind && (!g.siteId || g.siteId === alert.siteId) ? g : null;
  };
  return {
    name: kind,
    targets(person, alert) {
      const out: string[] = personal(person, kind) && !optedOut(person, kind) ? [''] : [];
      for (const { g, i } of groups()) if (!g.siteId || g.siteId === alert.siteId) out.push(`group:${i}`);
      return out;
    },
    async send(alert, person, target) {
      const to = resolve(person, alert, target);
      if (!to) return { result: 'failed', detail: 'no address any more (profile or config changed)' };
      // A group robot's message says who it is for; a personal one does not need to.
      const title = target === '' ? alert.title : `${alert.title} → ${person.name}`;
      const m: RobotMessage = { title, lines: alert.body.split('\n'), url: alert.url, linkText: openWord(alert.lang) };
      const req = kind === 'wecom' ? wecomRequest(to.url, m)
        : kind === 'dingtalk' ? dingtalkRequest(to.url, m, to.secret, now())
          : feishuRequest(to.url, m, to.secret, now(), alert.priority === 'CRITICAL');
      const r = await post(req, cfg);
      const out = httpOutcome(r);
      if (out.result !== 'sent' || 'error' in r) return out;
      const answer = robotAnswer(kind, r.text);
      return answer === 'sent' ? out : { result: answer, detail: `refused: ${r.text.slice(0, 120)}` };
    },
  };
}

export function smsChannel(cfg: ChannelConfig): Channel {
  return {
    name: 'sms',
    targets: (person) => (cfg.sms.url && person.phone && !optedOut(person, 'sms') ? [''] : []),
    async send(alert, person) {
      if (!person.phone) return { result: 'failed', detail: 'no phone number' };
      const text = `${alert.title}\n${alert.body}\n${alert.url}`;
      return httpOutcome(await post(smsRequest(cfg.sms.url, cfg.sms.token, person.phone, text), cfg));
    },
  };
}

/** The box's own broker, QoS 1, so a persistent-session subscriber gets it after a reconnect too. */
export function mqttChannel(publish: ((topic: string, payload: string, qos: 0 | 1) => Promise<void>) | null): Channel {
  return {
    name: 'mqtt',
    targets: (person) => (publish && !optedOut(person, 'mqtt') ? [''] : []),
    async send(alert) {
      if (!publish) return { result: 'failed', detail: 'no broker' };
      const { deliveries: _d, ...body } = alert;
      try {
        await publish(`outpost/v1/${alert.siteId}/alert/${alert.engineerId}`, JSON.stringify(body), 1);
        return { result: 'sent' };
      } catch (err) {
        return { result: 'retry', detail: (err as Error).message };
      }
    },
  };
}

export function pushChannel(store: PushStore, cfg: ChannelConfig): Channel {
  return {
    name: 'push',
    targets: (person) => (optedOut(person, 'push') ? [] : store.forEngineer(person.id).map((s) => s.id)),
    async send(alert, _person, target) {
      const sub = store.get(target);
      if (!sub) return { result: 'failed', detail: 'subscription removed' };
      const payload = JSON.stringify({ title: alert.title, body: alert.body, ticketId: alert.ticketId, alertId: alert.id, url: alert.url });
      const { publicKey, privateKey } = store.keys();
      let details;
      try {
        details = await pushRequest(sub, payload, { subject: cfg.vapidSubject, publicKey, privateKey }, 3600);
      } catch (err) {
        return { result: 'failed', detail: (err as Error).message };
      }
      const r = await post({ url: details.endpoint, headers: details.headers as Record<string, string>, body: details.body as Buffer }, cfg);
      // 404/410: the browser dropped the subscription (RFC 8030 §7.3); keep no dead addresses.
      if (!('error' in r) && (r.status === 404 || r.status === 410)) {
        store.remove(sub.id);
        return { result: 'failed', detail: `HTTP ${r.status}: subscription gone, removed`, gone: true };
      }
      return httpOutcome(r);
    },
  };
}
