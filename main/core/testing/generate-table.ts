import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * A synthetic but realistic CSV: an id, floats, a small category, a high-cardinality string,
 * an ISO date, a boolean, about 2% missing values and the odd quoted field with a comma.
 * Deterministic for a given seed, so benchmarks compare like with like.
 */
export async function writeSyntheticCsv(path: string, targetBytes: number, seed = 42): Promise<{ rows: number; bytes: number }> {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const species = ['Adelie', 'Gentoo', 'Chinstrap', 'Emperor', 'King'];
  const out = createWriteStream(path);
  let bytes = 0;
  let rows = 0;
  const header = 'id,bill_length_mm,body_mass_g,species,observer,observed_on,tagged,notes\n';
  out.write(header);
  bytes += header.length;
  let batch = '';
  while (bytes < targetBytes) {
    const id = rows + 1;
    const bill = random() < 0.02 ? '' : (32 + random() * 28).toFixed(2);
    const mass = random() < 0.02 ? 'NA' : String(2700 + Math.floor(random() * 3600));
    const kind = species[Math.floor(random() * species.length)];
    const observer = `obs-${Math.floor(random() * 1e6).toString(36)}`;
    const day = `20${10 + Math.floor(random() * 14)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const tagged = random() < 0.5 ? 'true' : 'false';
    const notes = random() < 0.05 ? '"nested, with a comma"' : random() < 0.5 ? 'calm sea' : '';
    const line = `${id},${bill},${mass},${kind},${observer},${day},${tagged},${notes}\n`;
    batch += line;
    bytes += line.length;
    rows += 1;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  return { rows, bytes };
}

/**
 * A wide CSV: `columns` columns named c1, c2, … and `rows` rows of small integers, with the odd
 * empty cell. Wide files are the stress case for per-column state, not for bytes.
 */
export async function writeWideCsv(path: string, columns: number, rows: number, seed = 7): Promise<{ bytes: number }> {
  let state = seed;
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += text.length;
    if (!out.write(text)) await once(out, 'drain');
  };
  const names: string[] = [];
  for (let c = 1; c <= columns; c++) names.push(`c${c}`);
  await write(`${names.join(',')}\n`);
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      cells.push(state % 50 === 0 ? '' : String(state % 1000));
    }
    await write(`${cells.join(',')}\n`);
  }
  out.end();
  await once(out, 'finish');
  return { bytes };
}
