import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from './dispatch.ts';
import { failure } from './errors.ts';

const handlers: Handlers = {
  'datasets:log': async ({ name }) => {
    if (name === 'missing') throw failure('NOT_FOUND', 'no such dataset');
    if (name === 'buggy') throw new TypeError('x is undefined');
    return [];
  },
};

describe('dispatch', () => {
  it('validates input against the contract before any work', async () => {
    const result = await dispatch(handlers, 'datasets:log', { workspace: '/w', name: '../etc' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: expect.arrayContaining([expect.objectContaining({ path: 'name' })]) } });
  });

  it('refuses a relative workspace path', async () => {
    const result = await dispatch(handlers, 'datasets:log', { workspace: 'w', name: 'iris' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'workspace', message: expect.stringContaining('absolute') }] } });
  });

  it('returns failures as data, and unexpected throws as INTERNAL without a stack', async () => {
    expect(await dispatch(handlers, 'datasets:log', { workspace: '/w', name: 'missing' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no such dataset' } });
    const bug = await dispatch(handlers, 'datasets:log', { workspace: '/w', name: 'buggy' });
    expect(bug).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'Unexpected error: x is undefined' } });
    expect(JSON.stringify(bug)).not.toMatch(/dispatch\.test\.ts|\n\s+at /);
  });

  it('knows unknown calls from calls this front door does not offer', async () => {
    expect(await dispatch(handlers, 'datasets:nuke', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch(handlers, 'datasets:list', { workspace: '/w' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await dispatch(handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('passes valid input through', async () => {
    expect(await dispatch(handlers, 'datasets:log', { workspace: '/w', name: 'iris' })).toEqual({ ok: true, value: [] });
  });
});
