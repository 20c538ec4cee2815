// Users and sessions for the dashboard: scrypt passwords, opaque session tokens stored hashed.
import { randomBytes, createHash } from 'node:crypto';
import type { Clock } from '../../core/index.ts';
import { hashPassword, verifyPassword, OutpostError } from '../../core/index.ts';
import type { Db } from '../storage/index.ts';

/** engineer: the field app only (its own jobs, check-ins, sign-off); operator: the dashboard; admin: the dashboard and set-up. */
export type Role = 'admin' | 'operator' | 'engineer';
export interface User { username: string; role: Role }

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function createAuth(deps: { db: Db; clock: Clock }, config: { sessionTtlHours: number }) {
  const { db, clock } = deps;

  /** The user these credentials belong to, or null. Hashes even for an unknown user so timing does not tell which names exist. */
  async function verify(username: string, password: string): Promise<User | null> {
    const row = db.prepare('SELECT username, password_hash, role FROM users WHERE username = ?').get(username) as { username: string; password_hash: string; role: Role } | undefined;
    const ok = await verifyPassword(password, row?.password_hash ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    return row && ok ? { username: row.username, role: row.role } : null;
  }

  return {
    hasUsers: (): boolean => !!db.prepare('SELECT 1 FROM users LIMIT 1').get(),
    async addUser(username: string, password: string, role: Role): Promise<void> {
      if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(username)) throw new OutpostError('OUTPOST_CONFLICT', `user ${username} already exists`);
      db.prepare('INSERT INTO users (username, password_hash, role, created_ts) VALUES (?, ?, ?, ?)').run(username, await hashPassword(password), role, clock.now());
    },
    /** Takes a login away with its sessions (the demo roster's logins when the demo stops). */
    removeUser(username: string): boolean {
      db.prepare('DELETE FROM sessions WHERE username = ?').run(username);
      return db.prepare('DELETE FROM users WHERE username = ?').run(username).changes > 0;
    },
    verify,
    /** Returns a session token, or throws OUTPOST_AUTH_INVALID without saying which half was wrong. */
    async login(username: string, password: string): Promise<{ token: string; user: User; expiresTs: number }> {
      const row = await verify(username, password);
      if (!row) throw new OutpostError('OUTPOST_AUTH_INVALID', 'wrong username or password');
      const token = randomBytes(32).toString('base64url');
      const expiresTs = clock.now() + config.sessionTtlHours * 3_600_000;
      db.prepare('DELETE FROM sessions WHERE expires_ts < ?').run(clock.now());
      db.prepare('INSERT INTO sessions (token_hash, username, expires_ts) VALUES (?, ?, ?)').run(sha256(token), row.username, expiresTs);
      return { token, user: { username: row.username, role: row.role }, expiresTs };
    },
    session(token: string | undefined): User | null {
      if (!token) return null;
      const row = db.prepare('SELECT u.username, u.role, s.expires_ts FROM sessions s JOIN users u ON u.username = s.username WHERE s.token_hash = ?').get(sha256(token)) as
        { username: string; role: Role; expires_ts: number } | undefined;
      if (!row || row.expires_ts < clock.now()) return null;
      return { username: row.username, role: row.role };
    },
    logout(token: string | undefined): void {
      if (token) db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(sha256(token));
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
