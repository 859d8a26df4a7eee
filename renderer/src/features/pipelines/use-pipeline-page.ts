import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PipelineFile, PipelineRun, PipelineRunSummary } from '../../../../shared/contract/pipelines.ts';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { checkPipelineText } from '../../../../shared/pipelines/validate-pipeline.ts';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { createPipelineCommands } from './pipeline-commands.ts';
import { withProgress, type PipelineProgress } from './live-run.ts';

function upsert(runs: PipelineRunSummary[] | null, run: PipelineRunSummary): PipelineRunSummary[] | null {
  if (!runs) return runs;
  const rest = runs.filter((r) => r.id !== run.id);
  return [run, ...rest].sort((a, b) => (a.id < b.id ? 1 : -1));
}

/**
 * The Pipelines page's state: the pipeline file and the text being edited (checked as it is
 * typed, with the same rules main uses), the recorded runs, and the run on screen — followed live
 * through main's pipelines:progress events while it goes. The page is keyed by workspace, so
 * another workspace starts from nothing.
 */
export function usePipelinePage() {
  const services = useServices();
  const commands = useMemo(() => createPipelineCommands(services), [services]);
  const workspace = useLathe((state) => state.workspace?.path ?? null);
  const [file, setFile] = useState<PipelineFile | null>(null);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<{ title: string; error: LatheError } | null>(null);
  const [busy, setBusy] = useState<'saving' | 'starting' | null>(null);
  const [runs, setRuns] = useState<PipelineRunSummary[] | null>(null);
  const [shown, setShown] = useState<PipelineRun | null>(null);
  /** Events heard while this page's own run was starting (null when none is). */
  const startingEvents = useRef<PipelineProgress[] | null>(null);

  const showRun = useCallback(
    async (id: string) => {
      const detail = await commands.detail(id);
      if (detail.ok) setShown((current) => (current?.id === id && current.status === 'running' && detail.value.status === 'running' ? current : detail.value));
      else setError({ title: `Could not read pipeline run ${id}`, error: detail.error });
    },
    [commands],
  );

  useEffect(() => {
    if (!workspace) return;
    let live = true;
    void commands.file().then((result) => {
      if (!live) return;
      if (result.ok) setFile(result.value);
      else setError({ title: 'Could not read lathe.pipeline.json', error: result.error });
    });
    void commands.runs().then((result) => {
      if (!live || !result.ok) return;
      setRuns(result.value);
      const latest = result.value[0];
      if (latest) void showRun(latest.id);
    });
    return () => {
      live = false;
    };
  }, [commands, workspace, showRun]);

  useEffect(
    () =>
      services.api.on('pipelines:progress', (progress) => {
        if (progress.workspace !== workspace) return;
        setRuns((current) => upsert(current ?? [], progress.run));
        // The run this page is starting: its first events can come before the call's answer.
        if (startingEvents.current) startingEvents.current.push(progress);
        setShown((current) => (current?.id === progress.run.id ? withProgress(current, progress) : current));
      }),
    [services.api, workspace],
  );

  const text = draft ?? file?.text ?? '';
  const check = useMemo(() => checkPipelineText(text), [text]);
  // The text as main read it also has main's word on the workspace (a missing dataset, a target that is not a column).
  const problems = file !== null && text === file.text ? file.problems : check.problems;
  const unsaved = file !== null && (!file.exists || (draft !== null && draft !== file.text));

  const save = useCallback(async (): Promise<boolean> => {
    setBusy('saving');
    setError(null);
    const result = await commands.save(text);
    setBusy(null);
    if (!result.ok) {
      setError({ title: 'The pipeline was not saved', error: result.error });
      return false;
    }
    setFile(result.value.file);
    setDraft(null);
    return true;
  }, [commands, text]);

  const run = useCallback(async () => {
    if (unsaved && !(await save())) return;
    setBusy('starting');
    setError(null);
    startingEvents.current = [];
    const result = await commands.run();
    const heard = startingEvents.current;
    startingEvents.current = null;
    setBusy(null);
    if (!result.ok) {
      setError({ title: 'The pipeline did not start', error: result.error });
      return;
    }
    // The answer is the run as it started (no step had logged yet): bring it up to what was heard since.
    const started = heard.reduce(withProgress, result.value);
    setShown(started);
    setRuns((current) => upsert(current ?? [], started));
  }, [commands, save, unsaved]);

  const jobId = shown?.jobId ?? null;
  const cancel = useCallback(async () => {
    if (!jobId) return;
    const result = await commands.cancel(jobId);
    if (!result.ok) setError({ title: 'Could not cancel the run', error: result.error });
  }, [commands, jobId]);

  return {
    file,
    text,
    check,
    problems,
    unsaved,
    busy,
    error,
    dismissError: () => setError(null),
    edit: (next: string) => setDraft(next),
    revert: () => setDraft(null),
    save,
    run,
    cancel,
    runs,
    shown,
    showRun: (id: string) => void showRun(id),
  };
}
