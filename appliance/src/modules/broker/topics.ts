// DESIGN.md topic grammar (v1): outpost/v1/<site>/<device>/<kind>[/<name>], pure parsing and policy.

export type TopicKind = 'telemetry' | 'event' | 'status' | 'cmd';

export interface DeviceTopic { siteId: string; deviceId: string; kind: TopicKind; name?: string }

const KINDS = new Set<TopicKind>(['telemetry', 'event', 'status', 'cmd']);

export function parseDeviceTopic(topic: string): DeviceTopic | null {
  const parts = topic.split('/');
  if (parts[0] !== 'outpost' || parts[1] !== 'v1' || parts.length < 5) return null;
  const [, , siteId, deviceId, kind, name, ...rest] = parts;
  if (!KINDS.has(kind as TopicKind) || rest.length) return null;
  if (kind === 'cmd' ? !name : name !== undefined) return null;
  return { siteId, deviceId, kind: kind as TopicKind, ...(name ? { name } : {}) };
}

export const devicePrefix = (siteId: string, deviceId: string): string => `outpost/v1/${siteId}/${deviceId}/`;

/** A device publishes telemetry, events and its status under its own prefix, nothing else. */
export function mayPublish(device: { siteId: string; id: string }, t: DeviceTopic | null): boolean {
  return !!t && t.siteId === device.siteId && t.deviceId === device.id && t.kind !== 'cmd';
}

/** A device subscribes only to its own commands. */
export function maySubscribe(device: { siteId: string; id: string }, filter: string): boolean {
  const cmd = `${devicePrefix(device.siteId, device.id)}cmd/`;
  return filter === `${cmd}#` || filter === `${cmd}+` || (filter.startsWith(cmd) && !/[#+]/.test(filter.slice(cmd.length)) && filter.length > cmd.length);
}
