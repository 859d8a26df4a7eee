import type { ModelVersion, RegistryLogEntry } from '../../../shared/contract/registry.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import { requiredArgument, stringOption } from '../option-values.ts';
import type { CliCommand } from '../cli-command.ts';
import { resolveRunId } from './runs-commands.ts';
import { visible } from '../terminal-text.ts';
import { formatNumber, textTable } from '../text-table.ts';

/**
 * `lathe models …`: the model registry, as MLflow 2 users know it (versions, aliases), with every
 * change a commit in the workspace (`lathe models log NAME`, or `git log -- models/NAME`).
 */


function metricsLine(metrics: Record<string, number>): string {
  return Object.entries(metrics).map(([key, value]) => `${key.replace(/^test_/, '')} ${formatNumber(value)}`).join(', ') || 'no test metrics';
}

function describeVersion(version: ModelVersion): string {
  const { run, dataset, workspaceCommit, environment } = version.lineage;
  const lines = [
    `${visible(version.name)}@${version.version}${version.aliases.length ? `  (${version.aliases.join(', ')})` : ''}  registered ${version.registeredAt}`,
    ...(version.description ? [visible(version.description, { lines: true })] : []),
    `run: ${visible(run.name || run.id)} (${run.id}), experiment ${visible(run.experimentName)}, ${run.status}`,
    `data: ${dataset ? `${visible(dataset.name)}${dataset.version ? `@${dataset.version}` : ''} (${dataset.contentHash})` : 'not recorded'}`,
    `code: ${workspaceCommit ? `workspace commit ${workspaceCommit}` : 'no commit'}${run.gitCommit && run.gitCommit !== workspaceCommit ? ` (the run started at ${run.gitCommit.slice(0, 10)})` : ''}`,
    `environment: ${environment ? [environment.backend, environment.node && `Node ${environment.node}`, environment.platform].filter(Boolean).join(', ') : 'not recorded'}`,
    `test metrics: ${metricsLine(version.metrics)}`,
  ];
  if (version.signature) {
    lines.push(`signature: ${version.signature.task} of ${visible(version.signature.target.name)} from ${version.signature.inputs.map((input) => visible(input.name)).join(', ')}`);
  }
  lines.push('', textTable(['artifact', 'bytes', 'content hash'], version.artifacts.map((artifact) => [artifact.path, artifact.bytes, artifact.contentHash.slice(0, 19)]), 60));
  for (const promotion of version.promotions) {
    lines.push(`promoted to ${visible(promotion.alias)} ${promotion.at}: ${promotion.passed ? 'check passed' : `check failed, overridden: ${visible(promotion.overrideReason ?? '')}`}`);
  }
  return lines.join('\n');
}

export const modelsRegisterCommand: CliCommand = {
  path: ['models', 'register'],
  summary: "Register a finished run's model as the next version of a named model",
  usage: 'lathe models register RUN_ID --name NAME [--description TEXT]',
  details: 'Example: lathe models register 3f9a1c2b7d4e --name penguin-species --description "Species from beak size"\nThe run must have FINISHED; its artifacts are checked against their hashes and named, not copied.',
  options: { name: { type: 'string', short: 'n' }, description: { type: 'string', short: 'd' } },
  async run(context) {
    const usage = this.usage;
    const runId = await resolveRunId(context, context.positionals[0], usage);
    const name = requiredArgument(stringOption(context, 'name'), 'the model with --name', usage);
    const description = stringOption(context, 'description');
    const version = await callCore(context, 'models:register', { workspace: await context.workspace(), runId, name, ...(description !== undefined ? { description } : {}) });
    return { json: version, human: `Registered ${visible(version.name)}@${version.version} from run ${visible(version.lineage.run.name || version.lineage.run.id)}.\n${metricsLine(version.metrics)}` };
  },
};

export const modelsListCommand: CliCommand = {
  path: ['models', 'list'],
  summary: 'List registered models with their latest version and aliases',
  usage: 'lathe models list',
  options: {},
  async run(context) {
    const models = await callCore(context, 'models:list', { workspace: await context.workspace() });
    if (models.length === 0) return { json: models, human: 'No registered models. Register a run\'s model with: lathe models register RUN_ID --name NAME' };
    const table = textTable(
      ['model', 'versions', 'latest', 'aliases', 'description'],
      models.map((model) => [
        model.name,
        model.versions,
        model.latest ? `@${model.latest.version} ${metricsLine(model.latest.metrics)}` : null,
        Object.entries(model.aliases).map(([alias, version]) => `${alias}→${version}`).join(' ') || null,
        model.description || null,
      ]),
      50,
    );
    return { json: models, human: table };
  },
};

export const modelsShowCommand: CliCommand = {
  path: ['models', 'show'],
  summary: 'Show a model and its versions, or one version (NAME@3, NAME@champion) with its lineage',
  usage: 'lathe models show NAME[@VERSION|@ALIAS]',
  options: {},
  async run(context) {
    const target = requiredArgument(context.positionals[0], 'the model', this.usage);
    const workspace = await context.workspace();
    if (target.includes('@')) {
      const version = await callCore(context, 'models:get-version', { workspace, ref: target });
      return { json: version, human: describeVersion(version) };
    }
    const model = await callCore(context, 'models:show', { workspace, name: target });
    const head = [`${visible(model.name)}  ${model.versions} version${model.versions === 1 ? '' : 's'}  made ${model.createdAt}`];
    if (model.description) head.push(visible(model.description, { lines: true }));
    const table = textTable(
      ['version', 'aliases', 'run', 'registered', 'test metrics'],
      model.versionList.map((version) => [version.version, version.aliases.join(' ') || null, version.runName || version.runId.slice(0, 12), version.registeredAt.slice(0, 16).replace('T', ' '), metricsLine(version.metrics)]),
      60,
    );
    return { json: model, human: `${head.join('\n')}\n\n${table}` };
  },
};

function logLine(entry: RegistryLogEntry): unknown[] {
  const what = entry.overrideReason ? `${entry.title} — reason: ${entry.overrideReason}` : entry.title;
  return [entry.date.slice(0, 16).replace('T', ' '), entry.commit.slice(0, 10), entry.action, what];
}

export const modelsLogCommand: CliCommand = {
  path: ['models', 'log'],
  summary: "A model's audit history, newest first: versions, alias moves, edits, promotions",
  usage: 'lathe models log NAME',
  options: {},
  async run(context) {
    const name = requiredArgument(context.positionals[0], 'the model', this.usage);
    const log = await callCore(context, 'models:log', { workspace: await context.workspace(), name });
    return { json: log, human: textTable(['date', 'commit', 'action', 'change'], log.map(logLine), 100) };
  },
};

export const modelsAliasCommand: CliCommand = {
  path: ['models', 'alias'],
  summary: 'Point an alias at a version (moving it), or remove it with --remove',
  usage: 'lathe models alias NAME@VERSION ALIAS | lathe models alias NAME ALIAS --remove',
  details: 'Example: lathe models alias penguin-species@3 challenger\nAliases are lowercase words (champion, challenger, staging…); NAME@ALIAS then names that version everywhere.',
  options: { remove: { type: 'boolean' } },
  async run(context) {
    const [target, alias] = context.positionals;
    if (!target || !alias) throw failure('INVALID_INPUT', `Name the version and the alias: ${this.usage}`);
    const workspace = await context.workspace();
    if (context.values.remove === true) {
      const name = target.split('@')[0]!;
      const change = await callCore(context, 'models:remove-alias', { workspace, name, alias });
      return { json: change, human: `Removed ${visible(change.name)}@${visible(change.alias)} (it pointed at version ${change.previous}).` };
    }
    const change = await callCore(context, 'models:set-alias', { workspace, ref: target, alias });
    const human = change.commit === null
      ? `${visible(change.name)}@${visible(change.alias)} already points at version ${change.version}; nothing changed.`
      : `${visible(change.name)}@${visible(change.alias)} now points at version ${change.version}${change.previous ? ` (was ${change.previous})` : ''}.`;
    return { json: change, human };
  },
};

export const modelsPromoteCommand: CliCommand = {
  path: ['models', 'promote'],
  summary: 'Move champion (or --alias) to a version once its check passes; --override-reason promotes anyway, on the record',
  usage: 'lathe models promote NAME@VERSION [--alias ALIAS] [--against NAME@VERSION] [--override-reason TEXT]',
  details: 'Example: lathe models promote penguin-species@4\nExits 1 when the check fails (nothing moves); the reason of an override is kept in the audit history.',
  options: { alias: { type: 'string', short: 'a' }, against: { type: 'string' }, 'override-reason': { type: 'string' } },
  async run(context) {
    const ref = requiredArgument(context.positionals[0], 'the version', this.usage);
    const alias = stringOption(context, 'alias');
    const against = stringOption(context, 'against');
    const reason = stringOption(context, 'override-reason');
    const outcome = await callCore(context, 'models:promote', {
      workspace: await context.workspace(),
      ref,
      ...(alias !== undefined ? { alias } : {}),
      ...(against !== undefined ? { against } : {}),
      ...(reason !== undefined ? { override: { reason } } : {}),
    });
    if (outcome.commit === null) return { json: outcome, human: `${visible(outcome.name)}@${visible(outcome.alias)} already points at version ${outcome.version}; nothing changed.` };
    const moved = `${visible(outcome.name)}@${visible(outcome.alias)} now points at version ${outcome.version}${outcome.previous ? ` (was ${outcome.previous})` : ''}.`;
    const check = outcome.overridden ? `The check failed and was overridden: ${visible(outcome.check.summary)}` : `Check passed: ${visible(outcome.check.summary)}`;
    return { json: outcome, human: `${moved}\n${check}` };
  },
};

export const modelsCardCommand: CliCommand = {
  path: ['models', 'card'],
  summary: "Print a version's model card as Markdown, or write it with --out",
  usage: 'lathe models card NAME@VERSION [--out FILE.md]',
  options: { out: { type: 'string', short: 'o' } },
  async run(context) {
    const ref = requiredArgument(context.positionals[0], 'the version', this.usage);
    const card = await callCore(context, 'models:card', { workspace: await context.workspace(), ref });
    const out = stringOption(context, 'out');
    if (out === undefined) return { json: card, human: visible(card.markdown, { lines: true }) };
    const [{ dirname, resolve }, { stat }, { writeFileAtomic }] = await Promise.all([import('node:path'), import('node:fs/promises'), import('../../core/storage/atomic-file.ts')]);
    const path = resolve(context.cwd, out);
    const folder = await stat(dirname(path)).catch(() => null);
    if (!folder?.isDirectory()) {
      throw failure('NOT_FOUND', `There is no folder ${visible(dirname(path))} to write the card into.`, { hint: 'Make the folder first, or give --out a path in a folder that exists.', location: { field: 'out' } });
    }
    await writeFileAtomic(path, card.markdown);
    return { json: { ...card, path }, human: `Wrote the model card of ${visible(card.name)}@${card.version} to ${visible(path)}.` };
  },
};

export const modelsEditCommand: CliCommand = {
  path: ['models', 'edit'],
  summary: "Edit a model's description, or a version's description and card fields",
  usage: 'lathe models edit NAME[@VERSION] [--description TEXT] [--intended-use TEXT] [--limitations TEXT] [--ethical-considerations TEXT] [--caveats TEXT]',
  details: 'Example: lathe models edit penguin-species@3 --intended-use "Teaching" --limitations "Three islands only"',
  options: {
    description: { type: 'string', short: 'd' },
    'intended-use': { type: 'string' },
    limitations: { type: 'string' },
    'ethical-considerations': { type: 'string' },
    caveats: { type: 'string' },
  },
  async run(context) {
    const target = requiredArgument(context.positionals[0], 'the model or version', this.usage);
    const workspace = await context.workspace();
    const description = stringOption(context, 'description');
    const card = Object.fromEntries(
      ([['intendedUse', 'intended-use'], ['limitations', 'limitations'], ['ethicalConsiderations', 'ethical-considerations'], ['caveats', 'caveats']] as const)
        .map(([field, flag]) => [field, stringOption(context, flag)] as const)
        .filter(([, value]) => value !== undefined),
    );
    const name = target.split('@')[0]!;
    const version = target.includes('@') ? (await callCore(context, 'models:get-version', { workspace, ref: target })).version : undefined;
    const edited = await callCore(context, 'models:edit', {
      workspace,
      name,
      ...(version !== undefined ? { version } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(Object.keys(card).length > 0 ? { card } : {}),
    });
    const what = edited.version === null ? visible(edited.name) : `${visible(edited.name)}@${edited.version}`;
    return { json: edited, human: edited.commit === null ? `${what} already says that; nothing changed.` : `Edited ${what}.` };
  },
};

export const modelsCommands: readonly CliCommand[] = [
  modelsRegisterCommand,
  modelsListCommand,
  modelsShowCommand,
  modelsLogCommand,
  modelsAliasCommand,
  modelsPromoteCommand,
  modelsCardCommand,
  modelsEditCommand,
];
