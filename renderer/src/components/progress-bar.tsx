/** A thin bar; without `value` it shows that work goes on without saying how much is left. */
export function ProgressBar({ value, max, label }: { value?: number; max?: number | null; label: string }) {
  const known = value !== undefined && max !== undefined && max !== null && max > 0;
  const share = known ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div
      className={known ? 'progress' : 'progress progress--indeterminate'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={known ? 0 : undefined}
      aria-valuemax={known ? 100 : undefined}
      aria-valuenow={known ? Math.round(share * 100) : undefined}
    >
      <div className="progress__value" style={known ? { width: `${share * 100}%` } : undefined} />
    </div>
  );
}
