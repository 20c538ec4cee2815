// Idempotency-Key for the app's POSTs under /api/v1/me/: the first answer to a key is stored (per login) and a
// replay of the same key gets that answer again instead of doing the work twice (the offline outbox replays
// whatever it is not sure arrived).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/index.ts';
import { OutpostError } from '../../core/index.ts';
import type { Db } from '../storage/index.ts';

const KEY = /^[A-Za-z0-9_-]{8,100}$/;
/** Kept a week: far longer than a phone stays offline on a job, short enough that the table stays small. */
const KEEP_MS = 7 * 24 * 3600_000;

export function idempotency(app: FastifyInstance, deps: { db: Db; clock: Clock; onReplay: () => void }): void {
  const { db, clock } = deps;
  const find = db.prepare('SELECT * FROM idempotency_keys WHERE username = ? AND key = ?');
  const save = db.prepare('INSERT OR IGNORE INTO idempotency_keys (username, key, method, path, status, body, ts) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const prune = db.prepare('DELETE FROM idempotency_keys WHERE ts < ?');
  const inFlight = new Set<string>();
  let saved = 0;

  const keyOf = (req: FastifyRequest): string | null => {
    if (req.method !== 'POST' || !req.url.startsWith('/api/v1/me/') || !req.user) return null;
    const k = req.headers['idempotency-key'];
    if (k === undefined) return null;
    if (typeof k !== 'string' || !KEY.test(k)) throw new OutpostError('OUTPOST_BAD_REQUEST', 'Idempotency-Key must be 8-100 characters of A-Z a-z 0-9 _ -');
    return k;
  };

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const key = keyOf(req);
    if (!key) return;
    const path = req.url.split('?')[0];
    const row = find.get(req.user!.username, key) as { path: string; status: number; body: string | null } | undefined;
    if (row) {
      if (row.path !== path) throw new OutpostError('OUTPOST_CONFLICT', `Idempotency-Key ${key} was already used for ${row.path}`);
      deps.onReplay();
      reply.header('idempotent-replayed', 'true').code(row.status).type('application/json; charset=utf-8');
      return reply.send(row.body ?? '');
    }
    const flight = `${req.user!.username}\u0000${key}`;
    if (inFlight.has(flight)) throw new OutpostError('OUTPOST_CONFLICT', `a request with Idempotency-Key ${key} is still being handled`);
    inFlight.add(flight);
    (req as unknown as { idemKey: string }).idemKey = key;
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const key = (req as unknown as { idemKey?: string }).idemKey;
    if (!key) return payload;
    inFlight.delete(`${req.user!.username}\u0000${key}`);
    // A 5xx may not have happened at all: the replay should try again rather than get the failure back.
    if (reply.statusCode < 500 && (typeof payload === 'string' || payload === null || payload === undefined)) {
      const now = clock.now();
      save.run(req.user!.username, key, req.method, req.url.split('?')[0], reply.statusCode, (payload as string | null) ?? null, now);
      if (++saved % 100 === 0) prune.run(now - KEEP_MS);
    }
    return payload;
  });

  app.addHook('onResponse', async (req: FastifyRequest) => {
    const key = (req as unknown as { idemKey?: string }).idemKey;
    if (key && req.user) inFlight.delete(`${req.user.username}\u0000${key}`);
  });
}
