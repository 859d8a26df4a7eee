import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { seededRandom } from '../../sweeps/seeded-random.ts';
import { Ddm, type DdmVerdict } from './ddm.ts';

const river = JSON.parse(readFileSync(new URL('./testing/river-streams.json', import.meta.url), 'utf8')) as {
  ddm: { stream: number[]; printed: { event: 'warning' | 'drift'; index: number }[] };
  transcribed: { ddm: { name: string; stream: number[]; changes: [number, DdmVerdict][] }[] };
};

/** river's docstring loop: print the first warning after the start or after each drift, and every drift. */
function printed(verdicts: DdmVerdict[]): { event: 'warning' | 'drift'; index: number }[] {
  const lines: { event: 'warning' | 'drift'; index: number }[] = [];
  let printWarning = true;
  verdicts.forEach((verdict, index) => {
    if (verdict === 'warning' && printWarning) {
      lines.push({ event: 'warning', index });
      printWarning = false;
    }
    if (verdict === 'drift') {
      lines.push({ event: 'drift', index });
      printWarning = true;
    }
  });
  return lines;
}

function errorStream(seed: number, rates: [rate: number, rows: number][]): boolean[] {
  const random = seededRandom(seed);
  return rates.flatMap(([rate, rows]) => Array.from({ length: rows }, () => random() < rate));
}

function refusal(act: () => unknown): LatheError {
  try {
    act();
  } catch (thrown) {
    return (thrown as { error: LatheError }).error;
  }
  throw new Error('expected a refusal');
}

describe('DDM', () => {
  it("warns and signals drift at the indices river's docstring prints (1084, 1334, 1492)", () => {
    const ddm = new Ddm();
    const verdicts = river.ddm.stream.map((bit) => ddm.update(bit === 1));
    expect(printed(verdicts)).toEqual(river.ddm.printed);
    expect(river.ddm.printed).toEqual([
      { event: 'warning', index: 1084 },
      { event: 'drift', index: 1334 },
      { event: 'warning', index: 1492 },
    ]);
  });

  // river cannot be installed here: this stream was run through a line-for-line Python
  // transcription of river's DDM (testing/river-streams.py), which first has to print what the
  // docstring prints. It checks every warning and its end, not only the first of each.
  for (const example of river.transcribed.ddm) {
    it(`gives every verdict the Python transcription of river gives: ${example.name}`, () => {
      const ddm = new Ddm();
      const verdicts = example.stream.map((bit) => ddm.update(bit === 1));
      const changes = verdicts.flatMap((verdict, i) => (verdict !== (i > 0 ? verdicts[i - 1] : 'stable') ? [[i, verdict]] : []));
      expect(changes).toEqual(example.changes);
    });
  }

  it('says nothing during the warm start, even when every prediction is wrong', () => {
    const ddm = new Ddm();
    for (let i = 0; i < 30; i++) expect(ddm.update(i >= 10)).toBe('stable');
  });

  it('flags a jump in the error rate within a few hundred rows, and starts afresh after the drift', () => {
    const ddm = new Ddm();
    const seen: number[] = [];
    const verdicts = errorStream(7, [
      [0.1, 2000],
      [0.5, 1000],
    ]).map((error) => {
      const verdict = ddm.update(error);
      seen.push(ddm.seen);
      return verdict;
    });
    const firstDrift = verdicts.indexOf('drift');
    expect(firstDrift).toBeGreaterThanOrEqual(2000);
    expect(firstDrift).toBeLessThan(2200);
    expect(verdicts.slice(0, 2000)).not.toContain('drift');
    expect(verdicts.slice(firstDrift - 20, firstDrift)).toContain('warning');
    // The row after a drift is the first of the new concept: the error rate is learnt again.
    expect(seen[firstDrift]).toBe(firstDrift + 1);
    expect(seen[firstDrift + 1]).toBe(1);
    expect(verdicts[firstDrift + 1]).toBe('stable');
  });

  it('gives, saved and restored at any row, the same verdicts as a detector never stopped', () => {
    const stream = errorStream(11, [
      [0.2, 1500],
      [0.45, 800],
      [0.15, 1500],
    ]);
    const uninterrupted = new Ddm();
    const expected = stream.map((error) => uninterrupted.update(error));
    expect(expected).toContain('drift');
    let restarted = new Ddm();
    const got = stream.map((error, i) => {
      if (i % 97 === 0) restarted = Ddm.from(JSON.parse(JSON.stringify(restarted)));
      return restarted.update(error);
    });
    expect(got).toEqual(expected);
    expect(restarted.toJSON()).toEqual(uninterrupted.toJSON());
  });

  it('keeps its options through a restore', () => {
    const ddm = Ddm.from(JSON.parse(JSON.stringify(new Ddm({ warmStart: 5, driftThreshold: 4 }))));
    expect(ddm.toJSON().options).toEqual({ warmStart: 5, warningThreshold: 2, driftThreshold: 4 });
  });

  it('refuses what is not a boolean, options that make no sense, and a saved state it did not write', () => {
    expect(refusal(() => new Ddm().update('yes' as unknown as boolean))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('the string "yes"') });
    expect(refusal(() => new Ddm({ warmStart: -1 }))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'warmStart' } });
    expect(refusal(() => new Ddm({ warningThreshold: 4 }))).toMatchObject({ code: 'INVALID_INPUT', location: { field: 'warningThreshold' } });
    const saved = new Ddm().toJSON();
    expect(refusal(() => Ddm.from({ ...saved, errorRate: 1.5 }))).toMatchObject({ code: 'PARSE_ERROR', location: { field: 'errorRate' } });
    expect(refusal(() => Ddm.from({ ...saved, schemaVersion: 2 }))).toMatchObject({ code: 'PARSE_ERROR', location: { field: 'schemaVersion' } });
    expect(refusal(() => Ddm.from('{}'))).toMatchObject({ code: 'PARSE_ERROR', hint: expect.stringContaining('fresh DDM') });
  });
});
