// pm2 apps for a box: the appliance (which runs the demo simulator itself while no real device exists).
// Node 24 comes from the pinned `node` package, so an older system Node still runs the right one.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(fileURLToPath(import.meta.url));

// pm2 require()s this file; Node 24 loads it as ESM and pm2 reads the named `apps` export.
export const apps = [
  {
    name: 'outpost',
    script: 'appliance/src/main.ts',
    interpreter: join(root, 'node_modules/.bin/node'),
    cwd: root,
    // Two malloc arenas: scrypt's 16 MB buffers otherwise stay cached in every libuv thread's arena (~70 MB RSS).
  env: { NODE_ENV: 'production', MALLOC_ARENA_MAX: '2' },
    // A crash restarts the box; acknowledged readings are already in SQLite (stored before PUBACK).
    autorestart: true,
    max_memory_restart: '400M',
    kill_timeout: 10000,
    time: true,
  },
];
