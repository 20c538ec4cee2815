// The box's process entry: load config, start the box, stop it cleanly on SIGINT/SIGTERM.
import { createOutpost } from './outpost.ts';
import { OutpostError } from './core/index.ts';

async function main(): Promise<void> {
  let box;
  try {
    box = createOutpost({}, { defaultMetrics: true });
  } catch (err) {
    process.stderr.write(`${err instanceof OutpostError ? err.message : (err as Error).stack}\n`);
    process.exit(78); // EX_CONFIG
  }
  const { httpUrl, mqttPort } = await box.start();
  process.stdout.write(`Outpost is up: dashboard ${httpUrl.replace('127.0.0.1', 'localhost')}, MQTT port ${mqttPort}\n`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping Outpost\n`);
    await box.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: NodeJS.ErrnoException & { port?: number }) => {
  if (err.code === 'EADDRINUSE') {
    // The usual first-run snag: another broker (mosquitto) or web server already holds the port.
    process.stderr.write(`OUTPOST_PORT_IN_USE: port ${err.port} is already in use; stop what holds it or choose another with OUTPOST_MQTT_PORT / OUTPOST_HTTP_PORT\n`);
    process.exit(1);
  }
  process.stderr.write(`Outpost failed to start: ${err.stack}\n`);
  process.exit(1);
});
