/** An alias as a chip: `champion`, with the version it points at when the list is of a whole model. */
export function AliasChip({ alias, version }: { alias: string; version?: number }) {
  return (
    <span className="alias-chip" data-alias={alias} title={version === undefined ? `alias ${alias}` : `alias ${alias} → version ${version}`}>
      @{alias}
      {version === undefined ? null : <span className="alias-chip__version">v{version}</span>}
    </span>
  );
}
