// Web Push: the box's VAPID keys (made on first start, kept in SQLite) and each engineer's browser subscriptions.
import { createECDH, createHash } from 'node:crypto';
import { OutpostError } from '../../core/index.ts';
import type { Db } from '../storage/index.ts';

export interface PushSubscriptionJson { endpoint: string; keys: { p256dh: string; auth: string } }
export interface StoredSubscription extends PushSubscriptionJson { id: string; engineerId: string }

const META_KEY = 'notify.vapid';

export function createPushStore(db: Db) {
  let keys: { publicKey: string; privateKey: string } | null = null;
  return {
    /** Reads the VAPID pair, or makes one: a new pair would orphan every browser subscription, so it is made once. */
    load(): { publicKey: string; privateKey: string } {
      const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(META_KEY) as { value: string } | undefined;
      if (row) keys = JSON.parse(row.value) as { publicKey: string; privateKey: string };
      else {
        keys = vapidKeys();
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(META_KEY, JSON.stringify(keys));
      }
      return keys;
    },
    keys(): { publicKey: string; privateKey: string } {
      return keys ?? this.load();
    },
    subscribe(engineerId: string, s: PushSubscriptionJson, now: number): StoredSubscription {
      let endpoint: URL;
      try { endpoint = new URL(s.endpoint); } catch { throw new OutpostError('OUTPOST_BAD_REQUEST', 'endpoint is not a URL'); }
      if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') throw new OutpostError('OUTPOST_BAD_REQUEST', 'endpoint must be an http(s) URL');
      // p256dh is an uncompressed P-256 point (65 bytes), auth a 16-byte secret (RFC 8291 §3).
      if (Buffer.from(s.keys.p256dh, 'base64url').length !== 65 || Buffer.from(s.keys.auth, 'base64url').length !== 16) {
        throw new OutpostError('OUTPOST_BAD_REQUEST', 'keys.p256dh must be a 65-byte P-256 point and keys.auth 16 bytes, base64url');
      }
      const id = createHash('sha256').update(s.endpoint).digest('base64url').slice(0, 16);
      db.prepare(`INSERT INTO push_subscriptions (id, engineer_id, endpoint, p256dh, auth, created_ts) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (endpoint) DO UPDATE SET engineer_id = excluded.engineer_id, p256dh = excluded.p256dh, auth = excluded.auth`)
        .run(id, engineerId, s.endpoint, s.keys.p256dh, s.keys.auth, now);
      return { id, engineerId, endpoint: s.endpoint, keys: s.keys };
    },
    /** Returns whether a subscription of this engineer was removed. */
    unsubscribe(engineerId: string, endpoint: string): boolean {
      return Number(db.prepare('DELETE FROM push_subscriptions WHERE engineer_id = ? AND endpoint = ?').run(engineerId, endpoint).changes) > 0;
    },
    remove(id: string): void {
      db.prepare('DELETE FROM push_subscriptions WHERE id = ?').run(id);
    },
    forEngineer(engineerId: string): StoredSubscription[] {
      return (db.prepare('SELECT * FROM push_subscriptions WHERE engineer_id = ? ORDER BY created_ts').all(engineerId) as Record<string, string>[])
        .map((r) => ({ id: r.id, engineerId: r.engineer_id, endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth } }));
    },
    get(id: string): StoredSubscription | undefined {
      const r = db.prepare('SELECT * FROM push_subscriptions WHERE id = ?').get(id) as Record<string, string> | undefined;
      return r ? { id: r.id, engineerId: r.engineer_id, endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth } } : undefined;
    },
  };
}

export type PushStore = ReturnType<typeof createPushStore>;

/**
 * The push service request for one message: web-push makes the VAPID JWT (RFC 8292) and the aes128gcm body
 * (RFC 8291); we send it ourselves with fetch, because web-push's own sender only speaks https.request.
 */
export async function pushRequest(sub: PushSubscriptionJson, payload: string, vapid: { subject: string; publicKey: string; privateKey: string }, ttlS: number) {
  // Loaded on the first push, not at start: it is ~60 ms of module loading most boxes never use before the first phone subscribes.
  const { default: webpush } = await import('web-push');
  return webpush.generateRequestDetails(sub, payload, { vapidDetails: vapid, TTL: ttlS, urgency: 'high' });
}

/** A VAPID key pair (RFC 8292): a P-256 key, the public point uncompressed and the private scalar, base64url, as web-push makes it. */
function vapidKeys(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const d = ecdh.getPrivateKey();
  // The scalar may have leading zero bytes dropped; the key is always 32 bytes.
  const priv = d.length < 32 ? Buffer.concat([Buffer.alloc(32 - d.length), d]) : d;
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: priv.toString('base64url') };
}
