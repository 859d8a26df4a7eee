/** Aliases as people scan them: champion first, then by name. */
export const byAliasRank = (a: string, b: string): number => (a === 'champion' ? -1 : b === 'champion' ? 1 : a.localeCompare(b));

/** A model's aliases (alias → version), champion first, then by name. */
export function sortedAliases(aliases: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(aliases).sort(([a], [b]) => byAliasRank(a, b));
}
