/**
 * The pipeline a workspace starts with when it has none: import → train → register → gates,
 * filled in from a dataset it already has (the penguins sample when there is one), so the editor
 * opens on something that runs rather than a blank page.
 */
export function starterPipeline(datasets: readonly string[]): string {
  const dataset = datasets.includes('penguins') ? 'penguins' : (datasets[0] ?? 'penguins');
  const target = dataset === 'penguins' ? 'Species' : 'COLUMN_TO_PREDICT';
  const spec = {
    schemaVersion: 1,
    name: `${dataset} model`,
    steps: [
      { id: 'data', kind: 'import', dataset },
      { id: 'train', kind: 'train', from: 'data', target, params: { model: 'mlp', epochs: 30, hidden: [32] } },
      { id: 'register', kind: 'register', from: 'train', name: dataset },
      { id: 'gates', kind: 'gates', from: 'register', alias: 'challenger' },
    ],
  };
  return `${JSON.stringify(spec, null, 2)}\n`;
}
