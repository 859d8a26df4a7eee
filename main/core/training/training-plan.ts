import type { ColumnProfile } from '../../../shared/contract/datasets.ts';
import type { TrainingPlan } from '../../../shared/contract/training.ts';
import { featureRole } from '../../../shared/training/feature-roles.ts';
import { inferTask, taskProblem, type TrainingTask } from '../../../shared/training/infer-task.ts';
import { failure } from '../errors.ts';
import { MIN_ROWS, splitSizes } from './data/data-split.ts';
import type { DatasetManifest } from '../datasets/dataset-manifest.ts';
import { compareText } from './preprocessing/fit-preprocessing.ts';
import { MAX_CATEGORIES } from './preprocessing/preprocessing-record.ts';
import type { FeatureToFit } from './preprocessing/fit-preprocessing.ts';

/**
 * What training would do with a dataset version and a target column, decided from the version's
 * profile alone (no data is read): the task, which columns are features and how each is
 * encoded, which are left out and why, the split, and what to look out for. Input that cannot
 * work is refused here, before any run exists, as INVALID_INPUT naming the field.
 */
export interface PlannedTraining {
  plan: TrainingPlan;
  features: FeatureToFit[];
  target: ColumnProfile;
}

export function planTraining(manifest: DatasetManifest, profile: readonly ColumnProfile[], request: { target: string; task?: TrainingTask | undefined; seed: number }): PlannedTraining {
  const where = `${manifest.name}@${manifest.version}`;
  const target = profile.find((column) => column.name === request.target);
  if (!target) throw noSuchColumn(request.target, profile, where);
  if (target.missing > 0) {
    throw failure('INVALID_INPUT', `The target "${target.name}" is missing in ${target.missing.toLocaleString('en')} of ${manifest.rows.toLocaleString('en')} rows of ${where}; every row needs a target to learn from.`, {
      hint: 'Import a version without those rows (or with the target filled in), or choose another target column.',
      location: { field: 'target' },
    });
  }
  const inferred = inferTask(target);
  const task = request.task ?? inferred.task;
  if (task === null) throw failure('INVALID_INPUT', `"${target.name}" cannot be a target: ${inferred.why}.`, { location: { field: 'target' } });
  const problem = taskProblem(target, task);
  if (problem) throw failure('INVALID_INPUT', `Cannot train ${task} on ${where}: ${problem}.`, { location: { field: request.task ? 'task' : 'target' } });
  if (manifest.rows < MIN_ROWS) {
    throw failure('INVALID_INPUT', `${where} has ${manifest.rows} rows; training needs at least ${MIN_ROWS} (for training, validation and test rows).`, { location: { field: 'dataset' } });
  }

  const features: FeatureToFit[] = [];
  const planned: TrainingPlan['features'] = [];
  const dropped: TrainingPlan['dropped'] = [];
  const warnings: string[] = [];
  let inputWidth = 0;
  for (const column of profile) {
    if (column === target) continue;
    const role = featureRole({ ...column, topValue: column.top[0]?.value ?? null }, manifest.rows);
    if (!role.use) {
      dropped.push({ name: column.name, why: role.why });
      warnings.push(`"${column.name}" is left out: ${role.why}.`);
      continue;
    }
    features.push({ name: column.name, type: column.type, encoding: role.encoding });
    planned.push({ name: column.name, type: column.type, encoding: role.encoding });
    const categories = role.encoding === 'one-hot' ? Math.min(column.distinct, MAX_CATEGORIES) + 1 : 1;
    inputWidth += categories + (column.missing > 0 ? 1 : 0);
    if (column.missing > 0) {
      const fill = role.encoding === 'one-hot' || role.encoding === 'binary' ? 'the most frequent value' : 'the median';
      warnings.push(`"${column.name}" is missing in ${column.missing} rows: filled with ${fill} of the training rows, with an input that says it was missing.`);
    }
    if (role.encoding === 'one-hot' && column.distinct > MAX_CATEGORIES) {
      warnings.push(`"${column.name}" has ${column.approximate ? 'about ' : ''}${column.distinct} distinct values: the ${MAX_CATEGORIES} most frequent get an input each, the rest share "other".`);
    }
  }
  if (features.length === 0) {
    throw failure('INVALID_INPUT', `No column of ${where} can be a feature for "${target.name}": ${dropped.length === 0 ? 'it is the only column' : dropped.map((column) => `"${column.name}" is ${column.why}`).join('; ')}.`, {
      hint: 'Import a version with columns that describe each row (measurements, categories, dates), then train again.',
      location: { field: 'target' },
    });
  }

  const split = splitSizes(manifest.rows, request.seed);
  let classes: TrainingPlan['classes'];
  if (task === 'classification') {
    classes = classesOf(target);
    if (classes) {
      const smallest = classes.reduce((least, entry) => Math.min(least, entry.count), Number.POSITIVE_INFINITY);
      const largest = classes.reduce((most, entry) => Math.max(most, entry.count), 0);
      const rare = classes.filter((entry) => entry.count < 5);
      if (rare.length > 0) warnings.push(`Class${rare.length > 1 ? 'es' : ''} ${rare.map((entry) => `"${entry.name}" (${entry.count} rows)`).join(', ')} ha${rare.length > 1 ? 've' : 's'} very few rows: the model will rarely predict ${rare.length > 1 ? 'them' : 'it'}, and the test split may hold none.`);
      else if (largest >= 10 * smallest) warnings.push(`The classes are imbalanced (${largest} rows against ${smallest}): consider classWeights "balanced".`);
    } else {
      warnings.push(`"${target.name}" has ${target.distinct} classes; they are listed when training starts.`);
    }
  }
  if (split.test < 30) warnings.push(`Only ${split.test} rows are held out for testing: the test metrics will be rough.`);
  return {
    plan: {
      dataset: { name: manifest.name, version: manifest.version, contentHash: manifest.contentHash },
      target: target.name,
      task,
      taskWhy: request.task && request.task !== inferred.task ? `you chose ${request.task}` : inferred.why,
      ...(classes ? { classes } : {}),
      features: planned,
      dropped,
      rows: manifest.rows,
      split,
      inputWidth,
      warnings,
    },
    features,
    target,
  };
}

/** The classes with their rows when the profile counted every value exactly; else undefined. */
function classesOf(target: ColumnProfile): { name: string; count: number }[] | undefined {
  if (target.approximate || target.distinct > target.top.length || target.top.some((entry) => entry.error !== undefined)) return undefined;
  if (target.type === 'boolean') {
    // Training reads true/false in any case as one class each.
    const count = (value: string) => target.top.filter((entry) => entry.value.toLowerCase() === value).reduce((sum, entry) => sum + entry.count, 0);
    return ['false', 'true'].map((name) => ({ name, count: count(name) })).filter((entry) => entry.count > 0);
  }
  const numeric = target.type === 'integer' || target.type === 'number';
  const byName = [...target.top].sort((a, b) => (numeric ? Number(a.value) - Number(b.value) : compareText(a.value, b.value)));
  return byName.map((entry) => ({ name: entry.value, count: entry.count }));
}

function noSuchColumn(name: string, profile: readonly ColumnProfile[], where: string) {
  const names = profile.map((column) => column.name);
  const close = names.find((candidate) => candidate.toLowerCase() === name.toLowerCase()) ?? names.find((candidate) => candidate.toLowerCase().includes(name.toLowerCase()));
  const shown = names.length > 30 ? `${names.slice(0, 30).map((n) => JSON.stringify(n)).join(', ')} and ${names.length - 30} more` : names.map((n) => JSON.stringify(n)).join(', ');
  return failure('INVALID_INPUT', `${where} has no column named ${JSON.stringify(name)}${close ? ` (did you mean ${JSON.stringify(close)}?)` : ''}. Its columns are: ${shown}.`, {
    hint: 'Column names are matched exactly, capitals included.',
    location: { field: 'target' },
  });
}
