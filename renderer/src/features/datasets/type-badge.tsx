import type { ColumnType } from '../../../../shared/contract/datasets.ts';

const descriptions: Record<ColumnType, string> = {
  integer: 'Whole numbers',
  number: 'Numbers with decimals',
  boolean: 'true / false',
  datetime: 'Dates and times',
  string: 'Text',
  empty: 'No values at all',
};

/** A column's type, named as the contract and the CLI name it. */
export function TypeBadge({ type }: { type: ColumnType }) {
  return (
    <span className="type-badge" data-type={type} title={descriptions[type]}>
      {type}
    </span>
  );
}
