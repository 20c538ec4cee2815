// Captures each family's request and response frames from the pymodbus peer (through a recording TCP proxy) into frames.json.
// Run: node firmware-adapters/capture.ts [family...]   (needs Debian python3-pymodbus)
import { createServer, connect, type Socket } from 'node:net';
import { mkdtempSync, readdirSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGateway, planReads } from '../appliance/src/modules/modbus/index.ts';
import { startPeer, unitFromFamily, freePort } from '../appliance/test/modbus-peer.ts';
import { loadMap } from './decoder-kit.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const families = readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'map.json')) && (!wanted.length || wanted.includes(d.name))).map((d) => d.name);
const dir = mkdtempSync(join(tmpdir(), 'outpost-capture-'));

for (const name of families) {
  const map = loadMap(new URL(`./${name}/`, import.meta.url).href);
  const peerPort = await freePort();
  const peer = await startPeer(dir, { units: { '1': unitFromFamily(map) } }, { tcp: peerPort });
  // The proxy records both directions byte for byte: the frames are what went over the wire.
  const frames: { dir: 'request' | 'response'; hex: string }[] = [];
  const proxy = createServer((client: Socket) => {
    const upstream = connect(peerPort, '127.0.0.1');
    client.on('data', (d) => { frames.push({ dir: 'request', hex: d.toString('hex') }); upstream.write(d); });
    upstream.on('data', (d) => { frames.push({ dir: 'response', hex: d.toString('hex') }); client.write(d); });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const gw = createGateway({ transport: 'tcp', host: '127.0.0.1', port: (proxy.address() as { port: number }).port }, { timeoutMs: 1000 });
  const blocks = planReads(map.registers, { maxGap: 8 });
  for (const b of blocks) await gw.read(1, b);
  await gw.close();
  await new Promise<void>((r) => proxy.close(() => r()));
  await peer.stop();
  const pairs = [];
  for (let i = 0; i + 1 < frames.length; i += 2) pairs.push({ request: frames[i].hex, response: frames[i + 1].hex });
  writeFileSync(join(here, name, 'frames.json'), JSON.stringify({
    captured: `Modbus TCP between Outpost's gateway (modbus-serial) and appliance/test/fixtures/modbus-peer.py (Debian python3-pymodbus 3.0) serving map.json "example" on unit 1, recorded by a TCP proxy: node firmware-adapters/capture.ts ${name}`,
    maxGap: 8, values: map.example, frames: pairs,
  }, null, 1) + '\n');
  console.log(`${name}: ${pairs.length} request/response pairs for ${map.registers.length} points`);
}
rmSync(dir, { recursive: true, force: true });
