import { describe, expect, it } from 'vitest';
import { loadedFrom } from './use-answer.ts';

describe('an answer kept with its question', () => {
  const error = { code: 'NOT_FOUND' as const, message: 'There is no model "churn".' };

  it('reads as the answer only for the question it answers', () => {
    const answer = { key: 'w\nchurn', result: { ok: true as const, value: 3 } };
    expect(loadedFrom('w\nchurn', answer)).toEqual({ state: 'ready', value: 3 });
    // Another model (or workspace) on screen: the old answer is not shown as its.
    expect(loadedFrom('w\npenguins', answer)).toEqual({ state: 'loading' });
    expect(loadedFrom('w\nchurn', null)).toEqual({ state: 'loading' });
  });

  it('carries a failure as the error main sent, and asks nothing without a question', () => {
    expect(loadedFrom('w\nchurn', { key: 'w\nchurn', result: { ok: false, error } })).toEqual({ state: 'failed', error });
    expect(loadedFrom(null, { key: 'w\nchurn', result: { ok: false, error } })).toEqual({ state: 'idle' });
  });
});
