import { chmod, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LatheError } from '../../../shared/contract/result.ts';
import { readArtifactText } from '../tracking/run-artifacts.ts';
import { evaluationRecord } from '../training/artifact-records.ts';
import { modelCard } from './model-card.ts';
import { resolveModelVersion } from './resolve-model-version.ts';
import { useTrainedWorkspace, type TrainedWorkspace } from '../testing/trained-workspace.ts';

/** Model cards of real trained versions: what Lathe knows, beside what a person wrote. */
const trained = useTrainedWorkspace(1, 'lathe-card-');
let t: TrainedWorkspace;
beforeAll(async () => {
  t = trained();
  await t.call('models:register', { workspace: t.workspace, runId: t.runIds[0]!, name: 'species', description: 'Penguin species from measurements' });
});

describe('the model card', () => {
  it('holds the lineage, the training data profile, the test metrics overall and per class, the signature and the artifacts', async () => {
    const version = await resolveModelVersion(t.writer, 'species@1');
    const card = await modelCard(t.writer, version);
    const evaluationArtifact = version.artifacts.find((artifact) => artifact.path === 'evaluation.json')!;
    const evaluation = evaluationRecord.parse(await readArtifactText(t.writer.blobs, evaluationArtifact, 'evaluation'), 'evaluation');
    if (evaluation.report.task !== 'classification') throw new Error('expected a classifier');

    expect(card.startsWith('# Model card: species@1\n\nPenguin species from measurements\n')).toBe(true);
    expect(card).toContain('## Intended use\n\n_Not written yet: add it on the Models page, or with `lathe models edit species@1 --intended-use "…"`._');
    expect(card).toContain(`| Training run | penguins-1 (\`${version.lineage.run.id}\`), experiment penguins |`);
    expect(card).toContain(`penguins@1 (\`${version.lineage.dataset!.contentHash}\`)`);
    expect(card).toContain(`Split: ${evaluation.split.train} training rows, ${evaluation.split.validation} validation rows, ${evaluation.split.test} test rows.`);
    expect(card).toMatch(/\| Island \| string \| 0% \| 3 \| Biscoe \(\d+\), Dream \(\d+\), Torgersen \(\d+\) \|/);
    expect(card).toMatch(/\| Flipper Length \(mm\) \| (integer|number) \| 0\.58% \| \d+ \| 172 – 231, mean /);
    expect(card).toContain(`| Accuracy | ${Number(evaluation.report.accuracy.toPrecision(4))} |`);
    for (const row of evaluation.report.perClass) expect(card).toContain(`| ${row.class} | `);
    expect(card).toContain('| Island | string | one-hot |');
    expect(card).toContain('Classes: Adelie, Chinstrap, Gentoo');
    expect(card).toMatch(/\| model\/weights\.bin \| \d+ \| `sha256:[0-9a-f]{64}` \|/);
    expect(card).toContain('Per-slice metrics come from the latest gate run of this version (`lathe gates run species@1`)');
  });

  it("shows what people wrote, and slice metrics from the gates' source, with data that cannot break its tables", async () => {
    await t.call('models:edit', { workspace: t.workspace, name: 'species', version: 1, card: { intendedUse: 'Field guides', limitations: 'Only three species\nOnly adults' } });
    const version = await resolveModelVersion(t.writer, 'species@1');
    const card = await modelCard(t.writer, version, async () => [{ column: 'Island', value: 'Dream | North', rows: 40, metric: 'accuracy', score: 0.925 }]);
    expect(card).toContain('## Intended use\n\nField guides\n');
    expect(card).toContain('## Limitations\n\nOnly three species\nOnly adults\n');
    expect(card).toContain('| Island | Dream \\| North | 40 | accuracy | 0.925 |');
    expect(card).not.toContain('Per-slice metrics come from');
  });

  it('refuses to speak from damaged evaluation bytes', async () => {
    const version = await resolveModelVersion(t.writer, 'species@1');
    const evaluation = version.artifacts.find((artifact) => artifact.path === 'evaluation.json')!;
    const path = t.writer.blobs.pathOf(evaluation.contentHash);
    await chmod(path, 0o644);
    await writeFile(path, Buffer.alloc(evaluation.bytes, 32));
    let error: LatheError | null = null;
    try {
      await t.call('models:card', { workspace: t.workspace, ref: 'species@1' });
    } catch (thrown) {
      error = (thrown as { error: LatheError }).error;
    }
    expect(error).toMatchObject({ code: 'DATA_DAMAGED', message: expect.stringContaining('evaluation.json of species@1') });
  });
});

describe('the model card of a regression', () => {
  it('reports RMSE, MAE and R²', { timeout: 60_000 }, async () => {
    const { call, workspace } = t;
    const rows = Array.from({ length: 80 }, (_, i) => `${i % 10},${i % 3 === 0 ? 'north' : 'south'},${(i % 10) * 2.5 + (i % 3)}`);
    await call('datasets:import-file', { workspace, path: await t.file('houses.csv', `rooms,side,price\n${rows.join('\n')}\n`), name: 'houses' });
    const started = await call('training:start', { workspace, dataset: 'houses', target: 'price', model: 'linear', epochs: 2 });
    await call('training:wait', { workspace, runId: started.runId });
    await call('models:register', { workspace, runId: started.runId, name: 'mass' });
    const card = await modelCard(t.writer, await resolveModelVersion(t.writer, 'mass@1'));
    expect(card).toMatch(/\| RMSE \| [0-9.e+]+ \|\n\| MAE \| [0-9.e+]+ \|\n\| R² \| -?[0-9.e+-]+ \|/);
    expect(card).not.toContain('### Per class');
    expect(card).toContain('| Task | regression |');
  });
});
