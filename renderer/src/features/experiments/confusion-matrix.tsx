import type { CSSProperties } from 'react';
import type { ClassificationEvaluation } from './evaluation.ts';

/**
 * A confusion matrix: rows are the true classes, columns the predicted ones. Each cell is
 * shaded by its share of its row (the recall view): the diagonal in the accent colour, errors
 * in red, so a glance finds which classes are mistaken for which.
 */
export function ConfusionMatrix({ evaluation, compact = false, caption }: { evaluation: ClassificationEvaluation; compact?: boolean; caption?: string }) {
  const matrix = evaluation.matrix;
  if (!matrix) return null;
  const labels = evaluation.labels.length === matrix.length ? evaluation.labels : matrix.map((_, index) => String(index));
  const rowTotals = matrix.map((row) => row.reduce((sum, count) => sum + count, 0));
  return (
    <table className={`confusion-matrix${compact ? ' confusion-matrix--compact' : ''}`} aria-label={caption ?? 'Confusion matrix'}>
      {caption ? <caption className="visually-hidden">{caption}</caption> : null}
      <thead>
        <tr>
          <th className="confusion-matrix__corner" scope="col">
            <span className="confusion-matrix__axis">true ↓ · predicted →</span>
          </th>
          {labels.map((label) => (
            <th key={label} scope="col" className="confusion-matrix__label" title={label}>
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, actual) => (
          <tr key={labels[actual]}>
            <th scope="row" className="confusion-matrix__label confusion-matrix__label--row" title={labels[actual]}>
              {labels[actual]}
            </th>
            {row.map((count, predicted) => {
              const share = rowTotals[actual]! > 0 ? count / rowTotals[actual]! : 0;
              const correct = actual === predicted;
              const percent = Math.round(share * 100);
              return (
                <td
                  key={labels[predicted]}
                  className={`confusion-matrix__cell num${correct ? ' confusion-matrix__cell--correct' : ''}${share >= 0.55 ? ' confusion-matrix__cell--strong' : ''}`}
                  style={{ '--share': `${Math.round(share * 90)}%` } as CSSProperties}
                  title={`${count} of ${rowTotals[actual]} ${labels[actual]} predicted ${labels[predicted]} (${percent}%)`}
                >
                  {count}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
