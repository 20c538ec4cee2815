// Adapter families discovered at start: every firmware-adapters/<family>/map.json, checked before use.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { profileProblems } from '../../domain/index.ts';
import { WORDS, type AdapterFamily, type RegisterPoint } from './register-map.ts';

const TABLES = new Set(['coil', 'discrete', 'holding', 'input']);

/** Everything wrong with a family's map, each named; empty when it can be used. */
export function familyProblems(f: AdapterFamily): string[] {
  const out: string[] = [];
  if (!/^[a-z0-9-]{1,48}$/.test(f.id ?? '')) out.push(`id "${f.id}" must be 1-48 lower-case letters, digits or -`);
  if (!f.name || !f.source) out.push('name and source (the vendor manual section) are required');
  if (!Array.isArray(f.registers) || !f.registers.length) return [...out, 'registers must be a non-empty array'];
  const keys = new Set((f.profile?.points ?? []).map((p) => p.key));
  for (const r of f.registers as RegisterPoint[]) {
    const at = `register "${r.key}"`;
    if (!keys.has(r.key)) out.push(`${at} has no point in the profile`);
    if (!TABLES.has(r.table)) out.push(`${at}: table must be coil, discrete, holding or input`);
    if (!(r.type in WORDS)) out.push(`${at}: unknown type ${r.type}`);
    const bitTable = r.table === 'coil' || r.table === 'discrete';
    if (bitTable !== (r.type === 'bool')) out.push(`${at}: coils and discrete inputs are bool, registers are not`);
    if (!Number.isInteger(r.address) || r.address < 0 || r.address + (WORDS[r.type] ?? 1) > 0x10000) out.push(`${at}: address must be 0-65535 (0-based)`);
    if (r.writable && !(r.table === 'coil' || r.table === 'holding')) out.push(`${at}: only coils and holding registers can be written`);
    if (r.bits && (r.bits.start < 0 || r.bits.length < 1 || r.bits.start + r.bits.length > (WORDS[r.type] ?? 1) * 16)) out.push(`${at}: bit field outside the register`);
  }
  out.push(...profileProblems({ id: `modbus-${f.id}`, name: f.name, points: f.profile?.points ?? [], rules: f.profile?.rules ?? [] }));
  return out;
}

export const profileIdOf = (familyId: string): string => `modbus-${familyId}`;

/** Reads every folder with a map.json; a broken one is reported and skipped, never fatal. */
export function loadFamilies(dir: string): { families: Map<string, AdapterFamily>; problems: string[] } {
  const families = new Map<string, AdapterFamily>();
  const problems: string[] = [];
  if (!existsSync(dir)) return { families, problems: [`adapters folder ${dir} does not exist`] };
  for (const name of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const file = join(dir, name, 'map.json');
    if (!existsSync(file)) continue;
    try {
      const f = JSON.parse(readFileSync(file, 'utf8')) as AdapterFamily;
      const p = familyProblems(f);
      if (f.id !== name) p.push(`id "${f.id}" must equal its folder name "${name}"`);
      if (p.length) problems.push(`${file}: ${p.join('; ')}`);
      else families.set(f.id, f);
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
    }
  }
  return { families, problems };
}
