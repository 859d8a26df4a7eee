import { describe, expect, it } from 'vitest';
import { canRegister, nameVerdict } from './register-model.ts';

const model = { path: 'model/model.json', contentHash: 'sha256:ab', bytes: 10 };

describe('registering a run’s model', () => {
  it('is offered for a finished run that stored a model, and for no other', () => {
    expect(canRegister({ status: 'FINISHED', lifecycle: 'active', artifacts: [model] })).toBe(true);
    expect(canRegister({ status: 'FAILED', lifecycle: 'active', artifacts: [model] })).toBe(false);
    expect(canRegister({ status: 'KILLED', lifecycle: 'active', artifacts: [model] })).toBe(false);
    expect(canRegister({ status: 'FINISHED', lifecycle: 'deleted', artifacts: [model] })).toBe(false);
    expect(canRegister({ status: 'FINISHED', lifecycle: 'active', artifacts: [{ ...model, path: 'evaluation.json' }] })).toBe(false);
  });

  it('says what a name will do: the next version of a model, or a new one', () => {
    const existing = [{ name: 'penguins', versions: 2 }];
    expect(nameVerdict('penguins', existing)).toEqual({ ok: true, note: 'Becomes penguins@3, the next version of penguins.' });
    expect(nameVerdict(' species ', existing)).toEqual({ ok: true, note: 'A new model, species; this run becomes species@1.' });
  });

  it('refuses an empty name, one that breaks on Windows, and one that clashes by case, saying why', () => {
    const existing = [{ name: 'penguins', versions: 2 }];
    expect(nameVerdict('  ', existing)).toMatchObject({ ok: false, problem: 'Choose a model or type a new name.' });
    expect(nameVerdict('CON', existing)).toMatchObject({ ok: false, problem: expect.stringContaining('device names on Windows') });
    expect(nameVerdict('a/b', existing)).toMatchObject({ ok: false, problem: expect.stringContaining('letters, digits') });
    expect(nameVerdict('Penguins', existing)).toMatchObject({ ok: false, problem: expect.stringContaining('differing only in case') });
  });
});
