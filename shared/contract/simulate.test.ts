import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { driftText, InjectedDrift, readDriftText } from './simulate.ts';

describe('--drift as written', () => {
  it.each([
    ['tenure:shift=12', { column: 'tenure', kind: 'shift', by: 12 }],
    ['Beak Length (mm):scale=1.5', { column: 'Beak Length (mm)', kind: 'scale', by: 1.5 }],
    ['income:shift=-3e3', { column: 'income', kind: 'shift', by: -3000 }],
    ['Island:categories=Biscoe>Dream', { column: 'Island', kind: 'categories', from: 'Biscoe', to: 'Dream' }],
    ['time:of:day:categories=08:00>20:00', { column: 'time:of:day', kind: 'categories', from: '08:00', to: '20:00' }],
    ['plan:categories=>basic', { column: 'plan', kind: 'categories', from: '', to: 'basic' }],
  ])('%s', (text, drift) => {
    expect(readDriftText(text)).toEqual({ drift });
  });

  it.each([
    ['tenure', 'names no column'],
    [':shift=3', 'names no column'],
    ['tenure:tilt=3', '"tilt" is not a drift'],
    ['tenure:shift=', 'shift= takes a number, not ""'],
    ['tenure:scale=twice', 'scale= takes a number, not "twice"'],
    ['tenure:shift=Infinity', 'shift= takes a number'],
    ['Island:categories=Biscoe', 'categories= takes FROM>TO'],
  ])('refuses %s, saying why', (text, why) => {
    const read = readDriftText(text);
    expect('problem' in read && read.problem).toContain(why);
  });

  it('reads back what driftText writes, for any column and category names without the separators', () => {
    const name = fc.string({ minLength: 1, maxLength: 30 }).filter((text) => !/:(shift|scale|categories)=/.test(text) && !text.endsWith(':'));
    const category = fc.string({ maxLength: 20 }).filter((text) => !text.includes('>'));
    const drift = fc.oneof(
      fc.record({ column: name, kind: fc.constant('shift' as const), by: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
      fc.record({ column: name, kind: fc.constant('scale' as const), by: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
      fc.record({ column: name, kind: fc.constant('categories' as const), from: category, to: fc.string({ maxLength: 20 }) }),
    );
    fc.assert(
      fc.property(drift, (written) => {
        const read = readDriftText(driftText(written));
        expect(read).toEqual({ drift: written.kind === 'categories' ? written : { ...written, by: written.by === 0 ? 0 : written.by } });
        expect(InjectedDrift.safeParse(written).success).toBe(true);
      }),
    );
  });
});
