import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LatheError } from '../../../../shared/contract/result.ts';
import type { Sweep, SweepSpec, SweepSummary } from '../../../../shared/contract/sweeps.ts';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { createSweepCommands } from './sweep-commands.ts';
import { goToSweep } from './sweeps-route.ts';

function summaryOf(sweep: Sweep): SweepSummary {
  const { spec: _spec, trials: _trials, ...summary } = sweep;
  return summary;
}

function upsert(sweeps: SweepSummary[] | null, sweep: SweepSummary): SweepSummary[] {
  return [sweep, ...(sweeps ?? []).filter((s) => s.id !== sweep.id)].sort((a, b) => (a.id < b.id ? 1 : -1));
}

/**
 * The Sweeps tab's state: the workspace's sweeps, and the one on screen — followed live through
 * main's sweeps:progress events while its trials run. Main owns every sweep; this holds the view.
 */
export function useSweeps(sweepId: string | null) {
  const services = useServices();
  const commands = useMemo(() => createSweepCommands(services), [services]);
  const workspace = useLathe((state) => state.workspace?.path ?? null);
  const [sweeps, setSweeps] = useState<SweepSummary[] | null>(null);
  const [shown, setShown] = useState<Sweep | null>(null);
  const [error, setError] = useState<{ title: string; error: LatheError } | null>(null);

  useEffect(() => {
    if (!workspace) return;
    let live = true;
    void commands.list().then((result) => {
      if (!live) return;
      if (result.ok) setSweeps(result.value);
      else setError({ title: 'Could not list the sweeps', error: result.error });
    });
    return () => {
      live = false;
    };
  }, [commands, workspace]);

  useEffect(() => {
    if (!sweepId) return;
    let live = true;
    void commands.get(sweepId).then((result) => {
      if (!live) return;
      if (result.ok) setShown((current) => (current?.id === sweepId && current.trials.length > result.value.trials.length ? current : result.value));
      else setError({ title: `Could not read sweep ${sweepId}`, error: result.error });
    });
    return () => {
      live = false;
    };
  }, [commands, sweepId]);

  useEffect(
    () =>
      services.api.on('sweeps:progress', ({ workspace: where, sweep }) => {
        if (where !== workspace) return;
        setSweeps((current) => upsert(current, summaryOf(sweep)));
        setShown((current) => (current?.id === sweep.id ? sweep : current));
      }),
    [services.api, workspace],
  );

  const create = useCallback(
    async (spec: SweepSpec): Promise<LatheError | null> => {
      setError(null);
      const result = await commands.create(spec);
      if (!result.ok) return result.error;
      setSweeps((current) => upsert(current, summaryOf(result.value)));
      setShown((current) => (current?.id === result.value.id ? current : result.value));
      goToSweep(result.value.id);
      return null;
    },
    [commands],
  );

  const cancel = useCallback(
    async (id: string) => {
      const result = await commands.cancel(id);
      if (!result.ok) setError({ title: 'Could not cancel the sweep', error: result.error });
      else setShown(result.value);
    },
    [commands],
  );

  // The sweep last read stays in state when the address moves on; only the one asked for is shown.
  return { commands, sweeps, shown: shown?.id === sweepId ? shown : null, error, dismissError: () => setError(null), create, cancel };
}
