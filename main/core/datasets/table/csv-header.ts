import { scanFailure } from './scan-errors.ts';
import type { TextPosition } from './text-position.ts';

/**
 * The header row names the columns: every name must be non-blank and unique, because the
 * names become column names everywhere else in Lathe.
 */
export function checkHeader(file: string, names: readonly string[], positionOf: (index: number) => TextPosition): void {
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    if (name.trim() === '') {
      throw scanFailure(
        'PARSE_ERROR',
        file,
        `Column ${index + 1} of the header of ${file} has no name.`,
        positionOf(index),
        names.length > 1 && index === names.length - 1 ? 'Is there a delimiter at the end of the header line? Remove it, or name the column.' : 'Give every column a name in the first row.',
      );
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw scanFailure(
        'PARSE_ERROR',
        file,
        `Columns ${earlier + 1} and ${index + 1} of the header of ${file} are both named "${name}".`,
        { ...positionOf(index), field: name },
        'Give every column a different name.',
      );
    }
    seen.set(name, index);
  });
}
