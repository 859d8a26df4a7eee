import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { versionedRecord } from './versioned-record.ts';

const V1 = z.object({ schemaVersion: z.literal(1), title: z.string() });
const V2 = z.object({ schemaVersion: z.literal(2), title: z.string(), tags: z.array(z.string()) });
const V3 = z.object({ schemaVersion: z.literal(3), name: z.string(), tags: z.array(z.string()) });
type Latest = z.infer<typeof V3>;

const note = versionedRecord<Latest>({
  kind: 'note',
  versions: [V1, V2, V3],
  migrations: [
    (v1: z.infer<typeof V1>) => ({ ...v1, schemaVersion: 2, tags: [] }),
    ({ title, tags }: z.infer<typeof V2>) => ({ schemaVersion: 3, name: title, tags }),
  ],
});

describe('versioned records', () => {
  it('brings every version ever written up to the latest, one migration at a time', () => {
    expect(note.parse('{"schemaVersion":1,"title":"a"}', 'n.json')).toEqual({ schemaVersion: 3, name: 'a', tags: [] });
    expect(note.parse('{"schemaVersion":2,"title":"b","tags":["x"]}', 'n.json')).toEqual({ schemaVersion: 3, name: 'b', tags: ['x'] });
    expect(note.parseWithOriginal('{"schemaVersion":1,"title":"a"}', 'n.json')).toMatchObject({ version: 1, original: { title: 'a' } });
  });

  it('names the file and the field that is wrong', () => {
    expect(() => note.parse('{"schemaVersion":2,"title":"b","tags":[1]}', 'notes/b.json')).toThrow('notes/b.json is not a valid note: tags.0: ');
    expect(() => note.parse('{"title":"b"}', 'b.json')).toThrow('b.json is not a valid note: schemaVersion: expected a whole number from 1 to 3.');
    expect(() => note.parse('{"schemaVersion":1,', 'b.json')).toThrow(/b.json is not valid JSON/);
  });

  it('refuses a version newer than it knows instead of guessing', () => {
    expect(() => note.parse('{"schemaVersion":4}', 'b.json')).toThrow(expect.objectContaining({ error: expect.objectContaining({ code: 'UNAVAILABLE' }) }));
  });

  it('writes only the latest shape', () => {
    expect(note.serialize({ schemaVersion: 3, name: 'n', tags: [] })).toBe('{\n  "schemaVersion": 3,\n  "name": "n",\n  "tags": []\n}\n');
    expect(() => note.serialize({ schemaVersion: 2 } as never)).toThrow();
  });

  it('checks that each version has its migration', () => {
    expect(() => versionedRecord({ kind: 'x', versions: [V1, V2], migrations: [] })).toThrow(/2 versions need 1 migrations/);
  });
});
