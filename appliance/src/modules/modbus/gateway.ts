// One connection per gateway (a TCP host:port or a serial line), every request to every unit behind it serialised.
import { createRequire } from 'node:module';
import type ModbusSerial from 'modbus-serial';
import type { ReadBlock } from './read-plan.ts';

export type LinkTarget =
  | { transport: 'tcp'; host: string; port: number }
  | { transport: 'rtu'; path: string; baud: number; parity: 'none' | 'even' | 'odd' };

export const gatewayKey = (t: LinkTarget): string => (t.transport === 'tcp' ? `tcp:${t.host}:${t.port}` : `rtu:${t.path}`);

export interface GatewayOptions { timeoutMs: number }

// modbus-serial is CommonJS whose typings declare an ES default export; require() gives the class itself.
type Client = InstanceType<typeof ModbusSerial.default>;
const ModbusRTU = createRequire(import.meta.url)('modbus-serial') as new () => Client;
type Cb<T> = (err: Error | null, data: T) => void;

/**
 * A Modbus master on one line. A serial bus carries one transaction at a time (MODBUS over Serial Line
 * V1.02 §2.1: one master, one request outstanding), and most TCP gateways to RS485 only forward one,
 * so requests are queued here whatever the transport.
 */
export function createGateway(target: LinkTarget, opts: GatewayOptions) {
  let client: Client | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;
  let requests = 0;

  function drop(): void {
    const c = client;
    client = null;
    if (c) try { c.close(() => {}); } catch { /* already closed */ }
  }

  async function connect(): Promise<Client> {
    if (client?.isOpen) return client;
    drop();
    const c = new ModbusRTU();
    // A socket or port error must never reach the process as an unhandled 'error' event.
    (c as unknown as NodeJS.EventEmitter).on('error', () => { if (client === c) drop(); });
    (c as unknown as NodeJS.EventEmitter).on('close', () => { if (client === c) client = null; });
    const opening = target.transport === 'tcp'
      ? c.connectTCP(target.host, { port: target.port })
      : c.connectRTUBuffered(target.path, { baudRate: target.baud, parity: target.parity, dataBits: 8, stopBits: 1 });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([opening, new Promise((_, reject) => { timer = setTimeout(() => reject(Object.assign(new Error('connect timed out'), { errno: 'ETIMEDOUT' })), opts.timeoutMs); })]);
    } catch (err) {
      try { c.close(() => {}); } catch { /* never opened */ }
      throw err;
    } finally {
      clearTimeout(timer);
    }
    c.setTimeout(opts.timeoutMs);
    client = c;
    return c;
  }

  /** Runs one transaction when the line is free; the queue goes on whatever this one's fate. */
  function enqueue<T>(fn: (c: Client, cb: Cb<T>) => void): Promise<T> {
    const run = async (): Promise<T> => {
      if (closed) throw Object.assign(new Error('gateway stopped'), { errno: 'ECONNABORTED' });
      const c = await connect();
      requests++;
      return new Promise<T>((resolve, reject) => fn(c, (err, data) => (err ? reject(err) : resolve(data))));
    };
    const p = chain.then(run, run);
    chain = p.catch(() => {});
    return p;
  }

  return {
    key: gatewayKey(target),
    /** FC1-4 (MODBUS Application Protocol V1.1b3 §6.1-6.4): registers as uint16 words, or bits. */
    read(unit: number, b: Pick<ReadBlock, 'fc' | 'address' | 'count'>): Promise<number[] | boolean[]> {
      return enqueue<number[] | boolean[]>((c, cb) => {
        const done = (err: Error | null, d: { data: number[] | boolean[] }) => cb(err, err ? [] : (b.fc <= 2 ? (d.data as boolean[]).slice(0, b.count) : d.data));
        if (b.fc === 1) c.writeFC1(unit, b.address, b.count, done as never);
        else if (b.fc === 2) c.writeFC2(unit, b.address, b.count, done as never);
        else if (b.fc === 3) c.writeFC3(unit, b.address, b.count, done as never);
        else c.writeFC4(unit, b.address, b.count, done as never);
      });
    },
    /** FC5/6/15/16 (§6.5, 6.6, 6.11, 6.12). */
    write(unit: number, fc: 5 | 6 | 15 | 16, address: number, data: number[] | boolean): Promise<void> {
      return enqueue<void>((c, cb) => {
        const done = (err: Error | null) => cb(err, undefined);
        if (fc === 5) c.writeFC5(unit, address, data as boolean, done as never);
        else if (fc === 15) c.writeFC15(unit, address, [data as boolean], done as never);
        else if (fc === 6) c.writeFC6(unit, address, (data as number[])[0], done as never);
        else c.writeFC16(unit, address, data as number[], done as never);
      });
    },
    requests: () => requests,
    async close(): Promise<void> {
      closed = true;
      await chain;
      drop();
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;
