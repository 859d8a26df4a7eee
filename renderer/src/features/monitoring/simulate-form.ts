import { SimulateTrafficInput, type InjectedDrift } from '../../../../shared/contract/simulate.ts';

export type DriftKind = InjectedDrift['kind'];

/** One drift row of the dialog, as typed. */
export interface DriftDraft {
  readonly column: string;
  readonly kind: DriftKind;
  /** shift / scale: the number. */
  readonly by: string;
  /** categories: A > B. */
  readonly from: string;
  readonly to: string;
}

/** The Simulate traffic dialog, as typed (numbers are text until read). */
export interface SimulateDraft {
  readonly dataset: string;
  readonly version: string;
  readonly rate: string;
  readonly duration: string;
  readonly drifts: readonly DriftDraft[];
  readonly sendLabels: boolean;
  readonly labelsAfter: string;
  /** Percent of labels replaced by another class. */
  readonly labelNoisePercent: string;
}

export const emptyDrift: DriftDraft = { column: '', kind: 'shift', by: '', from: '', to: '' };

export function initialDraft(dataset = '', version = ''): SimulateDraft {
  return { dataset, version, rate: '20', duration: '30', drifts: [], sendLabels: false, labelsAfter: '5', labelNoisePercent: '0' };
}

/** What the dialog sends: the call's input, without the workspace. */
export type SimulateRequest = Omit<SimulateTrafficInput, 'workspace' | 'wait'>;

/** Field → the first problem with it ("drift.0" for the first drift row). */
export type DraftProblems = Readonly<Record<string, string>>;

const Checked = SimulateTrafficInput.omit({ workspace: true, wait: true });

function numberOrNaN(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/**
 * Read the dialog into the call's input, checked by the contract's own schema, or the problems
 * per field — the same words the CLI prints for `--rate 0` or `--drift flipper:shift=abc`.
 */
export function readSimulateDraft(draft: SimulateDraft, deployment: string): { request: SimulateRequest } | { problems: DraftProblems } {
  const problems: Record<string, string> = {};
  if (draft.dataset === '') problems.dataset = 'choose the dataset whose rows are sent';
  const version = numberOrNaN(draft.version);
  if (!Number.isInteger(version) || version < 1) problems.version = 'choose a version of the dataset';
  const drift: InjectedDrift[] = [];
  draft.drifts.forEach((row, index) => {
    const column = row.column.trim();
    if (column === '') {
      problems[`drift.${index}`] = 'name the column to drift';
      return;
    }
    if (row.kind === 'categories') {
      if (row.from === '') problems[`drift.${index}`] = 'name the category to replace (FROM)';
      else drift.push({ column, kind: 'categories', from: row.from, to: row.to });
      return;
    }
    const by = numberOrNaN(row.by);
    if (!Number.isFinite(by)) problems[`drift.${index}`] = `${row.kind} takes a number, not "${row.by}"`;
    else drift.push({ column, kind: row.kind, by });
  });
  const noise = numberOrNaN(draft.labelNoisePercent);
  const candidate = {
    deployment,
    dataset: draft.dataset,
    version,
    rate: numberOrNaN(draft.rate),
    duration: numberOrNaN(draft.duration),
    drift,
    labelsAfter: draft.sendLabels ? numberOrNaN(draft.labelsAfter) : null,
    labelNoise: draft.sendLabels ? noise / 100 : 0,
  };
  const checked = Checked.safeParse(candidate);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = issue.path[0] === 'labelNoise' ? 'labelNoisePercent' : issue.path[0] === 'drift' ? `drift.${String(issue.path[1] ?? 0)}` : String(issue.path[0] ?? 'form');
      const words = issue.code === 'invalid_type' ? 'give a number' : issue.path[0] === 'labelNoise' ? 'the label noise is a percentage from 0 to 100' : issue.message;
      problems[field] ??= words;
    }
  }
  if (Object.keys(problems).length > 0 || !checked.success) return { problems };
  return { request: checked.data };
}
