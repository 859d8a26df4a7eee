import { describe, expect, it } from 'vitest';
import { startTableScan } from './table-scan.ts';

const encoder = new TextEncoder();

describe('the table scan on a worker thread', () => {
  it('profiles a JSON Lines record nested 100,000 deep (once an INTERNAL error on the worker)', async () => {
    const scan = startTableScan({ format: 'jsonl', fileName: 'deep.jsonl' }, null);
    try {
      await scan.write(encoder.encode(`{"id": 1, "deep": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`));
      await scan.write(encoder.encode('{"id": 2, "deep": []}\n'));
      const result = await scan.end();
      expect(result.rows).toBe(2);
      expect(result.profile[1]).toMatchObject({ name: 'deep', type: 'string', distinct: 2 });
    } finally {
      await scan.close();
    }
  });
});
