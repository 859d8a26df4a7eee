import { describe, expect, it } from 'vitest';
import { alertWhy, deliveryWords } from './alert-words.ts';

describe('an alert in words', () => {
  it('lists the numbers behind it, window by window, the first four', () => {
    const measurements = [4, 5, 6, 7, 8].map((window) => ({ window, measure: 'wasserstein', value: 0.31234, threshold: 0.1 }));
    expect(alertWhy({ detail: { windows: [4, 5], measurements: measurements.slice(0, 2), dropped: null } })).toBe('window 4: wasserstein 0.312 (threshold 0.1), window 5: wasserstein 0.312 (threshold 0.1)');
    expect(alertWhy({ detail: { windows: [], measurements, dropped: null } })).toMatch(/, and 1 more$/);
    expect(alertWhy({ detail: { windows: [], measurements: [{ window: null, measure: 'dropped', value: 12, threshold: null }], dropped: 12 } })).toBe('dropped 12');
  });

  it('says where it was sent, and a failed webhook loudly with why', () => {
    expect(deliveryWords({ state: 'not-configured' })).toBe('no webhook set');
    expect(deliveryWords({ state: 'delivered', at: 'T', status: 204, host: 'hooks.example.com' })).toBe('webhook: delivered to hooks.example.com (HTTP 204)');
    expect(deliveryWords({ state: 'failed', at: 'T', reason: 'it answered 302 (redirects are not followed)', host: 'hooks.example.com' })).toBe(
      'webhook FAILED (hooks.example.com): it answered 302 (redirects are not followed)',
    );
  });
});
