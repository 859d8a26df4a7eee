import { useEffect, useState } from 'react';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { useServices } from '../../app/services-context.tsx';
import { GateResults } from './gate-results.tsx';
import { useAnswer } from './use-answer.ts';
import { useModelsChanged, useWorkspacePath } from './use-models.ts';

/**
 * Gate runs of a version (gates:results) and "Run gates" against the champion (gates:run, kept
 * with the version). `round` changes when something else ran them (a promotion's check).
 */
export function VersionGates({ name, version, champion, round }: { name: string; version: number; champion: number | null; round: number }) {
  const { api } = useServices();
  const workspace = useWorkspacePath();
  const ref = `${name}@${version}`;
  const { loaded, reload } = useAnswer(workspace && `${workspace}\n${ref}`, () =>
    workspace ? api.call('gates:results', { workspace, ref, limit: 20 }) : Promise.resolve({ ok: true as const, value: [] }),
  );
  // A promotion runs the gates too, and records them: its change brings the new report.
  useModelsChanged(name, reload);
  useEffect(() => {
    if (round > 0) reload();
  }, [round, reload]);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<LatheError | null>(null);
  const against = champion !== null && champion !== version ? `${name}@${champion}` : null;

  async function run() {
    if (!workspace) return;
    setRunning(true);
    setRunError(null);
    const result = await api.call('gates:run', { workspace, ref, against: against ?? 'none' });
    setRunning(false);
    if (!result.ok) setRunError(result.error);
    reload();
  }

  return <GateResults results={loaded} running={running} runError={runError} canRun={workspace !== null} champion={against} onRun={() => void run()} onDismissError={() => setRunError(null)} />;
}
