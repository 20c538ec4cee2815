// Login, logout and "who am I" for the dashboard session cookie.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { OutpostError } from '../../core/index.ts';

export const SESSION_COOKIE = 'outpost_session';

const User = Type.Object({ username: Type.String(), role: Type.String() });

export function authRoutes(api: FastifyInstance, deps: ApiDeps): void {
  api.post('/auth/login', {
    schema: { tags: ['auth'], body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }), response: { 200: User } },
  }, async (req, reply) => {
    const { username, password } = req.body as { username: string; password: string };
    try {
      const s = await deps.auth.login(username, password);
      reply.setCookie(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'strict', expires: new Date(s.expiresTs) });
      return s.user;
    } catch (err) {
      if (err instanceof OutpostError && err.code === 'OUTPOST_AUTH_INVALID') deps.metrics.authFailures.inc();
      throw err;
    }
  });
  api.post('/auth/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
    deps.auth.logout(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
  api.post('/users', {
    schema: {
      tags: ['auth'],
      body: Type.Object({ username: Type.String({ pattern: '^[A-Za-z0-9_.@-]{1,64}$' }), password: Type.String({ minLength: 8, maxLength: 256 }), role: Type.Union([Type.Literal('admin'), Type.Literal('operator'), Type.Literal('engineer')]) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    requireAdmin(req);
    const { username, password, role } = req.body as { username: string; password: string; role: 'admin' | 'operator' | 'engineer' };
    await deps.auth.addUser(username, password, role);
    reply.code(201);
    return { username, role };
  });
  api.get('/auth/me', { schema: { tags: ['auth'], response: { 200: User } } }, async (req) => req.user!);
}

/** Admin-only routes call this first. */
export function requireAdmin(req: { user: { role: string } | null }): void {
  if (req.user?.role !== 'admin') throw new OutpostError('OUTPOST_FORBIDDEN', 'this needs the admin role');
}

/** Dashboard actions (operators and admins): an engineer's login reaches only the field app's routes. */
export function requireStaff(req: { user: { role: string } | null }): void {
  if (req.user?.role !== 'admin' && req.user?.role !== 'operator') throw new OutpostError('OUTPOST_FORBIDDEN', 'this needs an operator or admin login');
}
