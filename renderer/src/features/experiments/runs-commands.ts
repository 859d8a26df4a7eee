import type { RunSummary } from '../../../../shared/contract/runs.ts';
import type { LatheApi } from '../../lib/api-types.ts';
import type { LatheStore } from '../../state/store.ts';
import type { ColumnsMemory } from './experiments-memory.ts';
import type { ColumnId } from './run-columns.ts';
import { narrowToRuns } from './run-filter-text.ts';
import { sameQuery, type RunsQuery } from './runs-table-slice.ts';

/** Runs in the first runs:search page: a few screenfuls, so the first rows show at once. */
export const RUNS_FIRST_PAGE = 200;
/** Runs in each later page: ten thousand runs in a handful of calls. */
export const RUNS_PAGE_SIZE = 2000;
/** Runs named in one live-update search (its filter stays well under main's 10,000 characters). */
const IDS_PER_SEARCH = 100;

export interface RunsCommandDeps {
  api: Pick<LatheApi, 'call'>;
  store: LatheStore;
  /** The columns chosen before, per workspace and experiment. */
  columns: ColumnsMemory;
  /** When to look up runs that changed: soon, so a burst of changes is one search. Tests run it at once. */
  schedule?: (work: () => void) => void;
}

export type RunsCommands = ReturnType<typeof createRunsCommands>;

/**
 * The runs table's commands: list experiments, search runs (every page, newest first), and keep
 * the rows live as main reports runs changing.
 */
export function createRunsCommands({ api, store, columns, schedule = (work) => setTimeout(work, 80) }: RunsCommandDeps) {
  const workspacePath = () => store.getState().workspace?.path ?? null;
  let experimentsRequest = 0;
  let searchRequest = 0;
  const changed = new Set<string>();
  let flushScheduled = false;

  async function refreshExperiments(): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const request = ++experimentsRequest;
    store.getState().experimentsRequested();
    const result = await api.call('experiments:list', { workspace });
    if (request !== experimentsRequest || workspacePath() !== workspace) return;
    if (result.ok) store.getState().experimentsListed(result.value);
    else store.getState().experimentsListFailed(result.error);
  }

  /** List the runs matching `query` (default: the current one), every page of them. */
  async function searchRuns(query: RunsQuery = store.getState().runsQuery): Promise<void> {
    const workspace = workspacePath();
    if (!workspace) return;
    const request = ++searchRequest;
    const before = store.getState().runsQuery;
    const firstSearch = store.getState().runsStatus === 'idle';
    store.getState().runsSearchStarted(query);
    // The columns chosen for this experiment last time (a first visit, or another experiment).
    if (firstSearch || before.experimentId !== query.experimentId) {
      void columns.columns(workspace, query.experimentId).then((chosen) => {
        if (workspacePath() === workspace && store.getState().runsQuery.experimentId === query.experimentId) store.getState().runColumnsChosen(chosen);
      });
    }
    let pageToken: string | undefined;
    let first = true;
    do {
      const result = await api.call('runs:search', {
        workspace,
        ...(query.experimentId === null ? {} : { experimentIds: [query.experimentId] }),
        ...(query.filter.trim() === '' ? {} : { filter: query.filter }),
        orderBy: ['attributes.start_time DESC'],
        maxResults: first ? RUNS_FIRST_PAGE : RUNS_PAGE_SIZE,
        ...(pageToken ? { pageToken } : {}),
      });
      if (request !== searchRequest || workspacePath() !== workspace) return;
      if (!result.ok) {
        store.getState().runsSearchFailed(query, result.error);
        return;
      }
      pageToken = result.value.nextPageToken;
      store.getState().runsPageArrived(query, result.value.runs, result.value.total, first, pageToken === undefined);
      first = false;
    } while (pageToken);
  }

  function filterApplied(filter: string): Promise<void> {
    return searchRuns({ ...store.getState().runsQuery, filter: filter.trim() });
  }

  function experimentChosen(experimentId: string | null): Promise<void> {
    return searchRuns({ ...store.getState().runsQuery, experimentId });
  }

  /** Main says a run changed (or is new): its row is updated, added or removed, soon. */
  function runChanged(runId: string): void {
    changed.add(runId);
    if (flushScheduled) return;
    flushScheduled = true;
    schedule(() => {
      flushScheduled = false;
      void flushChanges();
    });
  }

  /** Look up every run reported changed, in a few searches, and bring their rows up to date. */
  async function flushChanges(): Promise<RunSummary[]> {
    const workspace = workspacePath();
    const ids = [...changed];
    changed.clear();
    if (!workspace || ids.length === 0) return [];
    const query = store.getState().runsQuery;
    const found: RunSummary[] = [];
    for (let start = 0; start < ids.length; start += IDS_PER_SEARCH) {
      const batch = ids.slice(start, start + IDS_PER_SEARCH);
      const result = await api.call('runs:search', {
        workspace,
        ...(query.experimentId === null ? {} : { experimentIds: [query.experimentId] }),
        filter: narrowToRuns(query.filter, batch),
        maxResults: batch.length,
      });
      if (workspacePath() !== workspace || !sameQuery(store.getState().runsQuery, query)) return found;
      // A filter that does not parse lists nothing, live or not: leave the rows as they are.
      if (!result.ok) continue;
      const matching = new Set(result.value.runs.map((run) => run.id));
      const before = store.getState().runs.length;
      store.getState().runsUpdated(result.value.runs);
      store.getState().runsLeft(batch.filter((id) => !matching.has(id)));
      found.push(...result.value.runs);
      // Runs came or went: the experiments' counts (and maybe a new experiment) with them.
      if (store.getState().runs.length !== before) void refreshExperiments();
    }
    return found;
  }

  /** The user chose the table's columns (null: the suggested ones again); remembered for this experiment. */
  function columnsChosen(chosen: ColumnId[] | null): void {
    store.getState().runColumnsChosen(chosen);
    const workspace = workspacePath();
    if (workspace) void columns.columnsChosen(workspace, store.getState().runsQuery.experimentId, chosen);
  }

  return { refreshExperiments, searchRuns, filterApplied, experimentChosen, runChanged, flushChanges, columnsChosen };
}
