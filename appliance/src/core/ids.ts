// Identifiers that sort by creation time and stay unique across boxes (for sync).
import { randomBytes } from 'node:crypto';

export function newId(prefix: string, now: number = Date.now()): string {
  return `${prefix}-${now.toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}
