import { request } from 'node:http';

/** A plain HTTP client for tests: any Host header, any body, the raw answer. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function send(url: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {}): Promise<Answer> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method: options.method ?? (options.body === undefined ? 'GET' : 'POST'), headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export const json = (body: unknown): { headers: Record<string, string>; body: string } => ({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** A pandas-codec request: one tensor per column of the given rows. */
export function tensorsOf(rows: readonly Record<string, string | number | null>[]): { name: string; shape: number[]; datatype: string; data: unknown[] }[] {
  return Object.keys(rows[0]!).map((name) => {
    const data = rows.map((row) => row[name] ?? null);
    return { name, shape: [rows.length], datatype: data.some((value) => typeof value === 'string') ? 'BYTES' : 'FP64', data };
  });
}
