// JSON schemas of the site model for request validation and the OpenAPI document.
import { Type } from '@fastify/type-provider-typebox';
import { TRADES } from '../../domain/index.ts';

/** Site-model ids: they are MQTT topic levels too. */
export const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
/** Ids the box makes for alarms and work orders. */
export const RecordId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,80}$' });
const Severity = Type.Union(['CRITICAL', 'MAJOR', 'MINOR', 'WARNING'].map((s) => Type.Literal(s)));
const Ticket = Type.Optional(Type.Object({ minSeverity: Severity, category: Type.Optional(Type.Union(TRADES.map((t) => Type.Literal(t)))) }, { additionalProperties: false }));
const RuleType = Type.String({ pattern: '^[a-z0-9_]{1,64}$' });

export const PointDefSchema = Type.Object({
  key: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), name: Type.String({ minLength: 1, maxLength: 120 }),
  unit: Type.Optional(Type.String({ maxLength: 16 })), min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()),
}, { additionalProperties: false });

const RULE_KINDS = [
  Type.Object({
    kind: Type.Literal('threshold'), type: RuleType, point: Type.String(), hysteresis: Type.Optional(Type.Number({ minimum: 0 })), ticket: Ticket,
    levels: Type.Array(Type.Object({ severity: Severity, above: Type.Optional(Type.Number()), below: Type.Optional(Type.Number()), forS: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false }), { minItems: 1, maxItems: 4 }),
  }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('rate'), type: RuleType, point: Type.String(), maxPerMin: Type.Number({ exclusiveMinimum: 0 }), windowS: Type.Number({ minimum: 1 }), severity: Severity, ticket: Ticket }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('stale'), type: RuleType, point: Type.String(), afterS: Type.Number({ minimum: 1 }), severity: Severity, ticket: Ticket }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('offline'), type: RuleType, severity: Severity, ticket: Ticket }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('zone'), type: RuleType, point: Type.String(), machineGroup: Type.Union([Type.Literal(1), Type.Literal(2)]),
    foundation: Type.Union([Type.Literal('rigid'), Type.Literal('flexible')]),
    severities: Type.Optional(Type.Object({ C: Type.Optional(Severity), D: Type.Optional(Severity) }, { additionalProperties: false })),
    forS: Type.Optional(Type.Number({ minimum: 0 })), hysteresis: Type.Optional(Type.Number({ minimum: 0 })), ticket: Ticket,
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('forecast'), type: RuleType, point: Type.String(), of: RuleType,
    leadTimeS: Type.Number({ exclusiveMinimum: 0 }), windowS: Type.Number({ minimum: 10 }), severity: Severity, ticket: Ticket,
  }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('anomaly'), type: RuleType, point: Type.String(), severity: Severity,
    threshold: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })), clearAfterS: Type.Optional(Type.Number({ minimum: 1 })), ticket: Ticket,
  }, { additionalProperties: false }),
];

/**
 * One rule, picked by its `kind` with if/then rather than anyOf: fastify's ajv runs with removeAdditional,
 * and under anyOf every branch that fails strips the properties it does not know from the object before the
 * matching branch is tried (a stale or forecast rule lost its fields to the threshold branch).
 */
export const AlarmRuleSchema = Type.Unsafe<Type.Static<(typeof RULE_KINDS)[number]>>({
  type: 'object', required: ['kind'],
  properties: { kind: { enum: RULE_KINDS.map((k) => k.properties.kind.const) } },
  allOf: RULE_KINDS.map((k) => ({ if: { properties: { kind: { const: k.properties.kind.const } } }, then: k })),
});

export const ProfileBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  points: Type.Array(PointDefSchema, { minItems: 1, maxItems: 500 }),
  rules: Type.Array(AlarmRuleSchema, { maxItems: 200 }),
}, { additionalProperties: false });
