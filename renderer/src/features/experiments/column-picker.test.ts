import { describe, expect, it } from 'vitest';
import { withColumn } from './column-picker.tsx';

describe('adding a column', () => {
  it('puts it after the last column of its kind', () => {
    expect(withColumn(['status', 'name', 'metric:loss', 'param:lr'], 'metric:val_loss')).toEqual(['status', 'name', 'metric:loss', 'metric:val_loss', 'param:lr']);
    expect(withColumn(['status', 'metric:loss'], 'param:lr')).toEqual(['status', 'metric:loss', 'param:lr']);
    expect(withColumn(['metric:loss', 'param:lr'], 'dataset')).toEqual(['dataset', 'metric:loss', 'param:lr']);
  });
});
