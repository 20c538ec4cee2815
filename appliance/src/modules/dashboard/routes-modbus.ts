// Modbus routes: adapter families, registering a device behind a Modbus link, admin writes and their log.
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.ts';
import { requireAdmin } from './routes-auth.ts';
import { OutpostError } from '../../core/index.ts';
import { Id } from './schemas.ts';
import type { Modbus, NewModbusDevice } from '../modbus/index.ts';

const NewDeviceBody = Type.Object({
  id: Id, siteId: Id, assetId: Type.Optional(Id), name: Type.String({ minLength: 1, maxLength: 120 }),
  family: Type.String({ pattern: '^[a-z0-9-]{1,48}$' }),
  // Unit ids 1-247 (MODBUS over Serial Line V1.02 §2.2; 0 is broadcast); a TCP device on its own answers any, 255 by convention.
  unitId: Type.Integer({ minimum: 1, maximum: 255 }),
  pollMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 86_400_000 })),
  transport: Type.Union([Type.Literal('tcp'), Type.Literal('rtu')]),
  host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })), port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  path: Type.Optional(Type.String({ pattern: '^/dev/[A-Za-z0-9_./-]{1,100}$' })),
  baud: Type.Optional(Type.Integer({ minimum: 1200, maximum: 921600 })),
  parity: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')])),
}, { additionalProperties: false });

export function modbusRoutes(api: FastifyInstance, deps: ApiDeps): void {
  const modbus = (): Modbus => {
    if (!deps.modbus) throw new OutpostError('OUTPOST_NOT_FOUND', 'this box has no Modbus module');
    return deps.modbus;
  };

  api.get('/modbus/families', { schema: { tags: ['modbus'] } }, async () => modbus().families().map((f) => ({
    id: f.id, name: f.name, vendor: f.vendor, source: f.source, profileId: `modbus-${f.id}`,
    points: f.profile.points.map((p) => {
      const r = f.registers.find((x) => x.key === p.key);
      return { ...p, table: r?.table ?? null, address: r?.address ?? null, type: r?.type ?? null, writable: !!r?.writable, enum: r?.enum ?? null };
    }),
  })));

  api.post('/modbus/devices', { schema: { tags: ['modbus'], body: NewDeviceBody } }, async (req, reply) => {
    requireAdmin(req);
    const body = req.body as Omit<NewModbusDevice, 'pollMs'> & { pollMs?: number };
    const e = await modbus().addDevice({ ...body, pollMs: body.pollMs ?? 5000 });
    reply.code(201);
    return { id: e.device.id, siteId: e.device.siteId, assetId: e.device.assetId, profileId: e.device.profileId, name: e.device.name, status: e.device.status, link: modbus().link(e.device.id) };
  });

  api.post('/devices/:id/write', {
    schema: {
      tags: ['modbus'], params: Type.Object({ id: Id }),
      body: Type.Object({ point: Type.String({ minLength: 1, maxLength: 64 }), value: Type.Number(), reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    requireAdmin(req);
    const { id } = req.params as { id: string };
    const b = req.body as { point: string; value: number; reason: string };
    return modbus().write(id, b.point, b.value, { username: req.user!.username, reason: b.reason });
  });

  api.get('/devices/:id/writes', { schema: { tags: ['modbus'], params: Type.Object({ id: Id }) } }, async (req) => modbus().writes((req.params as { id: string }).id));
}
