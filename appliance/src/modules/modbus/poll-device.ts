// One poll of one device: planned block reads with retries and backoff, decoded into readings and coded errors.
import { classifyError, type LinkError } from './exceptions.ts';
import { decodePoint } from './decode.ts';
import type { ReadBlock } from './read-plan.ts';
import type { RegisterPoint } from './register-map.ts';
import type { Gateway } from './gateway.ts';

export interface RetryOptions { retries: number; backoffMs: number }

export interface PollResult {
  readings: { point: string; value: number }[];
  errors: LinkError[];
  /** True when no block got any answer (timeouts, connection): the device is not answering. */
  silent: boolean;
  requests: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Exceptions are the device's definite answer and are not retried; silence and broken links are, with doubling waits. */
export async function withRetries<T>(fn: () => Promise<T>, opts: RetryOptions, where: string, onRetry?: () => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const c = classifyError(err, where);
      if (c.code === 'OUTPOST_MODBUS_EXCEPTION' || attempt >= opts.retries) throw err;
      onRetry?.();
      await sleep(opts.backoffMs * 2 ** attempt);
    }
  }
}

export async function pollDevice(gw: Gateway, unit: number, registers: readonly RegisterPoint[], blocks: readonly ReadBlock[], opts: RetryOptions): Promise<PollResult> {
  const out: PollResult = { readings: [], errors: [], silent: blocks.length > 0, requests: 0 };
  for (const b of blocks) {
    const where = `unit ${unit} FC${b.fc} @${b.address}+${b.count}`;
    let data: number[] | boolean[];
    try {
      out.requests++;
      data = await withRetries(() => gw.read(unit, b), opts, where, () => out.requests++);
    } catch (err) {
      const c = classifyError(err, where);
      out.errors.push(c);
      if (c.code === 'OUTPOST_MODBUS_EXCEPTION') { out.silent = false; continue; }
      // Retries are spent and the line is silent or down: the rest of this poll would only wait the same way.
      break;
    }
    out.silent = false;
    for (const i of b.points) {
      const p = registers[i];
      const off = p.address - b.address;
      try {
        out.readings.push({ point: p.key, value: decodePoint(p, data.slice(off, off + (p.type === 'bool' ? 1 : 4)) as number[]) });
      } catch (err) {
        out.errors.push({ code: 'OUTPOST_MODBUS_DECODE', message: `${where}: ${(err as Error).message}` });
      }
    }
  }
  return out;
}
