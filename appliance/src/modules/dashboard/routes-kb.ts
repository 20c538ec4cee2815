// Knowledge-base routes: search and articles for anyone logged in (engineers too), import for admins, a work order's suggestions.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { OutpostError } from '../../core/index.ts';
import { KB_KINDS, type Kb } from '../kb/index.ts';
import { RecordId } from './schemas.ts';
import { requireAdmin } from './routes-auth.ts';

function kbOf(deps: ApiDeps): Kb {
  if (!deps.kb) throw new OutpostError('OUTPOST_NOT_FOUND', 'this box has no knowledge base');
  return deps.kb;
}

export function kbRoutes(api: FastifyInstance, deps: ApiDeps): void {
  api.get('/kb/search', {
    schema: {
      tags: ['kb'],
      querystring: Type.Object({
        q: Type.String({ maxLength: 500 }),
        lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en'), Type.Literal('both'), Type.Literal('')])),
        kind: Type.Optional(Type.Union(KB_KINDS.map((k) => Type.Literal(k)))),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
      }),
    },
  }, async (req) => {
    const { q, lang, kind, limit } = req.query as { q: string; lang?: string; kind?: string; limit?: number };
    return kbOf(deps).search(q, { lang: lang || undefined, kind, limit });
  });
  api.get('/kb/articles/:id', { schema: { tags: ['kb'], params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (req) =>
    kbOf(deps).article((req.params as { id: number }).id));
  // JSON {name, text}; the size limit is the knowledge base's own (a coded 413), so the route lets a bit more through.
  api.post('/kb/import', {
    bodyLimit: 16 * 1024 * 1024,
    schema: {
      tags: ['kb'],
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f]+$' }), text: Type.String() }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    requireAdmin(req);
    const { name, text } = req.body as { name: string; text: string };
    reply.code(201);
    return kbOf(deps).importText(name, text);
  });
  api.get('/tickets/:id/suggestions', { schema: { tags: ['kb', 'tickets'], params: Type.Object({ id: RecordId }) } }, async (req) =>
    kbOf(deps).suggestionsFor((req.params as { id: string }).id));
}
