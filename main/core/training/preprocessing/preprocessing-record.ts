import { z } from 'zod';
import { versionedRecord } from '../../storage/versioned-record.ts';

/**
 * How a table's values become a model's inputs — part of the model, saved beside it as
 * `preprocessing.json`, and read back by serving: what training fitted on the training split
 * is applied unchanged to every row the model ever sees.
 *
 * Per feature column, in order (each writes its inputs one after another):
 * - `standardize` (integer, number) and `epoch-days` (datetime: days since 1970-01-01 UTC):
 *   a missing value becomes `fill` (the training median), then (x − mean) / std;
 * - `binary` (boolean): 1 for true, 0 for false; a missing value becomes `fill` (the training
 *   split's more frequent one);
 * - `one-hot` (text): one input per category kept, then one for "other" — values rare in
 *   training (beyond the cap, or seen fewer than MIN_CATEGORY_ROWS times) and values never seen;
 *   a missing value becomes `fill` (the most frequent);
 * - `missingIndicator`: one more input, 1 where the value was missing (added for columns with
 *   missing values in the training split).
 * `inputs` names every input, in order. For regression the model was trained on the target
 * standardised with `mean`/`std` and its saved output is already back in the target's units.
 */
const ColumnName = z.string().min(1);

const NumericColumn = z.object({
  name: ColumnName,
  type: z.enum(['integer', 'number', 'datetime']),
  encoding: z.enum(['standardize', 'epoch-days']),
  fill: z.number(),
  mean: z.number(),
  std: z.number().positive(),
  missingIndicator: z.boolean(),
});

const BinaryColumn = z.object({
  name: ColumnName,
  type: z.literal('boolean'),
  encoding: z.literal('binary'),
  fill: z.union([z.literal(0), z.literal(1)]),
  missingIndicator: z.boolean(),
});

const OneHotColumn = z.object({
  name: ColumnName,
  type: z.literal('string'),
  encoding: z.literal('one-hot'),
  categories: z.array(z.string()),
  fill: z.string().nullable(),
  missingIndicator: z.boolean(),
});

const Target = z.discriminatedUnion('task', [
  z.object({ task: z.literal('classification'), name: ColumnName, classes: z.array(z.string()).min(2) }),
  z.object({ task: z.literal('regression'), name: ColumnName, mean: z.number(), std: z.number().positive() }),
]);

const PreprocessingV1 = z.object({
  schemaVersion: z.literal(1),
  target: Target,
  columns: z.array(z.union([NumericColumn, BinaryColumn, OneHotColumn])),
  inputs: z.array(z.string()),
  maxCategories: z.number().int().positive(),
});

export type Preprocessing = z.infer<typeof PreprocessingV1>;
export type FeatureColumn = Preprocessing['columns'][number];
export type NumericFeature = z.infer<typeof NumericColumn>;
export type BinaryFeature = z.infer<typeof BinaryColumn>;
export type OneHotFeature = z.infer<typeof OneHotColumn>;
export type PreprocessedTarget = Preprocessing['target'];

export const preprocessingRecord = versionedRecord<Preprocessing>({ kind: 'preprocessing record', versions: [PreprocessingV1], migrations: [] });

/** At most this many categories per text column get an input of their own (the rest go to "other"). */
export const MAX_CATEGORIES = 50;
/** A category seen in fewer training rows than this goes to "other". */
export const MIN_CATEGORY_ROWS = 2;

/** How many inputs a column writes. */
export function inputWidthOf(column: FeatureColumn): number {
  const own = column.encoding === 'one-hot' ? column.categories.length + 1 : 1;
  return own + (column.missingIndicator ? 1 : 0);
}
