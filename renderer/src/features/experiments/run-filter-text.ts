/**
 * Filters the Experiments area builds for itself, in main's filter syntax: quoted so any run
 * id or user filter keeps its meaning when combined.
 */
export const quoteText = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Runs with these ids: `attributes.run_id = 'a' OR attributes.run_id = 'b'`. */
export function runIdFilter(runIds: readonly string[]): string {
  return runIds.map((id) => `attributes.run_id = ${quoteText(id)}`).join(' OR ');
}

/** The user's filter, narrowed to these runs: `(user filter) AND (ids)`. */
export function narrowToRuns(filter: string, runIds: readonly string[]): string {
  const ids = runIdFilter(runIds);
  return filter.trim() === '' ? ids : `(${filter}) AND (${ids})`;
}
