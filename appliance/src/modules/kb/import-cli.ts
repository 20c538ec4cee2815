// npm run kb:import -- <file or folder> [...]: imports manuals into the box's knowledge base (the box may be running: WAL).
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/index.ts';
import { systemClock } from '../../core/index.ts';
import { openDatabase } from '../storage/index.ts';
import { createKb } from './kb.ts';

const paths = process.argv.slice(2);
if (!paths.length) {
  process.stderr.write('usage: npm run kb:import -- <file.md|file.txt|folder> [...]\n');
  process.exit(2);
}
const config = loadConfig(process.env, {});
const db = openDatabase(resolve(join(config.dataDir, 'outpost.db')));
const kb = createKb({ db, clock: systemClock }, config.kb);
let failed = 0;
for (const p of paths) {
  try {
    const r = kb.importPath(p);
    process.stdout.write(`${p}: ${r.files} file(s), ${r.articles} article(s)\n`);
  } catch (err) {
    failed++;
    process.stderr.write(`${p}: ${(err as Error).message}\n`);
  }
}
process.stdout.write(`knowledge base: ${kb.count()} article(s) in ${config.dataDir}\n`);
db.close();
process.exit(failed ? 1 : 0);
