import type { RetrainPolicyView, RetrainRun, TimelineEntry } from '../../../shared/contract/retraining.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
import { integerOption, requiredArgument, stringOption } from '../option-values.ts';
import { textTable } from '../text-table.ts';
import { visible } from '../terminal-text.ts';
import { applySetFlags } from './retrain-policy-flags.ts';

/** `lathe retrain …`: a model's retraining policy, its runs and approvals, and its timeline. */

function describePolicy(view: RetrainPolicyView): string {
  const { policy } = view;
  const triggers = [
    policy.triggers.alerts.length ? `alerts (${policy.triggers.alerts.join(', ')})` : null,
    policy.triggers.newData ? 'a new version of its training data' : null,
    policy.triggers.everyHours === null ? null : `every ${policy.triggers.everyHours} h`,
  ].filter(Boolean);
  const asks = (['train', 'register', 'deploy'] as const).filter((step) => policy.approval[step] === 'ask' && (step !== 'deploy' || policy.deploy !== null));
  const deploy = policy.deploy;
  return [
    `Retraining of ${visible(policy.model)}: ${policy.enabled ? 'ON' : 'OFF'}${view.exists ? ` (${view.file})` : ` (no ${view.file} yet: the default)`}`,
    `  triggers   ${triggers.length ? triggers.join('; ') : 'none'}`,
    `  plan       ${visible(view.plan.summary)}`,
    `  deploy     ${deploy ? `${deploy.strategy} to ${deploy.target}${deploy.steps ? `, steps ${deploy.steps.join(',')}` : ''}${deploy.intervalMs ? `, every ${deploy.intervalMs / 1000}s` : ''}` : 'nothing: the challenger is registered and stops there'}`,
    `  approval   ${asks.length ? `a person approves ${asks.join(', ')}` : 'every step runs by itself'}`,
    `  caps       at most ${policy.caps.maxRunsPerDay} run${policy.caps.maxRunsPerDay === 1 ? '' : 's'} a day (UTC), ${policy.caps.cooldownMinutes} min apart; one at a time, until its rollout ends`,
  ].join('\n');
}

function describeRun(run: RetrainRun): string {
  const waiting = run.steps.find((step) => step.status === 'waiting-approval');
  return [
    `Retrain run ${run.id} of ${visible(run.model)}: ${run.state.toUpperCase()} (${run.trigger.kind}: ${visible(run.trigger.detail)})`,
    '',
    textTable(['step', 'status', 'what happened'], run.steps.map((step) => [step.name, step.status, visible(step.message)]), 100),
    ...(run.why ? ['', `why: ${visible(run.why)}`] : []),
    ...(waiting ? ['', `It waits for you: \`lathe retrain approve ${run.id}\` or \`lathe retrain reject ${run.id} --reason "…"\`.`] : []),
  ].join('\n');
}

const timelineLine = (entry: TimelineEntry) => `${entry.at.replace('T', ' ').slice(0, 19)}  ${entry.kind.padEnd(14)} ${visible(entry.message)}`;

const modelArgument = (context: CliContext, usage: string) => requiredArgument(context.positionals[0], 'the model, like churn', usage);

export const retrainPolicyCommand: CliCommand = {
  path: ['retrain', 'policy'],
  summary: "A model's retraining policy: triggers, plan, where the challenger goes, approvals and caps",
  usage: 'lathe retrain policy MODEL [--json]',
  options: {},
  async run(context) {
    const view = await callCore(context, 'retrain:policy', { workspace: await context.workspace(), model: modelArgument(context, this.usage) });
    return { json: view, human: describePolicy(view) };
  },
};

export const retrainSetCommand: CliCommand = {
  path: ['retrain', 'set'],
  summary: "Change a model's retraining policy and turn it on (retraining/MODEL.json, committed)",
  usage: 'lathe retrain set MODEL [--on-alert drift,accuracy|none] [--on-new-data | --no-new-data] [--every 24h|none] [--target T --strategy canary|shadow [--steps 10,25,50,100] [--interval 60s] | --no-deploy] [--approve deploy,register,train|none] [--max-per-day 3] [--cooldown 60m] [--plan auto|pipeline|built-in] [--off]',
  details: [
    'Only the flags given change; the rest of the policy stays. The policy is on after `set` unless --off.',
    'Alert kinds: drift (feature and dataset drift), accuracy, latency, errors, dropped, or their full names.',
    'Example: lathe retrain set churn --on-alert drift,accuracy --on-new-data --every 24h --target edge-1 --strategy canary --approve deploy --max-per-day 3 --cooldown 60m',
  ].join('\n'),
  options: {
    'on-alert': { type: 'string' },
    'on-new-data': { type: 'boolean' },
    'no-new-data': { type: 'boolean' },
    every: { type: 'string' },
    plan: { type: 'string' },
    target: { type: 'string' },
    strategy: { type: 'string' },
    steps: { type: 'string' },
    interval: { type: 'string' },
    'no-deploy': { type: 'boolean' },
    approve: { type: 'string' },
    'max-per-day': { type: 'string' },
    cooldown: { type: 'string' },
    off: { type: 'boolean' },
  },
  async run(context) {
    const workspace = await context.workspace();
    const model = modelArgument(context, this.usage);
    const current = await callCore(context, 'retrain:policy', { workspace, model });
    const policy = applySetFlags(current.policy, {
      onAlert: stringOption(context, 'on-alert'),
      onNewData: context.values['on-new-data'] === true ? true : context.values['no-new-data'] === true ? false : undefined,
      every: stringOption(context, 'every'),
      plan: stringOption(context, 'plan'),
      target: stringOption(context, 'target'),
      strategy: stringOption(context, 'strategy'),
      steps: stringOption(context, 'steps'),
      interval: stringOption(context, 'interval'),
      noDeploy: context.values['no-deploy'] === true,
      approve: stringOption(context, 'approve'),
      maxPerDay: stringOption(context, 'max-per-day'),
      cooldown: stringOption(context, 'cooldown'),
      off: context.values.off === true,
    });
    const saved = await callCore(context, 'retrain:save-policy', { workspace, policy });
    return { json: saved, human: `${saved.status === 'committed' ? `Committed ${saved.view.file}` : `${saved.view.file} is unchanged`}.\n${describePolicy(saved.view)}` };
  },
};

export const retrainRunCommand: CliCommand = {
  path: ['retrain', 'run'],
  summary: 'Retrain a model now under its policy (caps included); waits until it ends, waits for approval, or its rollout is under way',
  usage: 'lathe retrain run MODEL [--json]',
  details: 'Exit codes: 0 the run succeeded, waits for approval or rolls out; 1 it stopped, failed, or the policy turned it away (it says why).',
  options: {},
  async run(context) {
    const started = await callCore(context, 'retrain:start', { workspace: await context.workspace(), model: modelArgument(context, this.usage), wait: true });
    if (!started.run) return { json: started, human: `Not retrained: ${visible(started.reason ?? '')}.`, exitCode: 1 };
    return { json: started, human: describeRun(started.run), exitCode: started.run.state === 'stopped' || started.run.state === 'failed' ? 1 : 0 };
  },
};

export const retrainApproveCommand: CliCommand = {
  path: ['retrain', 'approve'],
  summary: "Approve a retrain run's waiting step; it goes on until it ends or waits again",
  usage: 'lathe retrain approve RUN [--step train|register|deploy] [--json]',
  options: { step: { type: 'string' } },
  async run(context) {
    const step = stringOption(context, 'step') as 'train' | 'register' | 'deploy' | undefined;
    const run = await callCore(context, 'retrain:approve', { workspace: await context.workspace(), run: requiredArgument(context.positionals[0], 'the run, like rt-20260101T120000Z-a1b2c3', this.usage), ...(step ? { step } : {}) });
    return { json: run, human: describeRun(run), exitCode: run.state === 'stopped' || run.state === 'failed' ? 1 : 0 };
  },
};

export const retrainRejectCommand: CliCommand = {
  path: ['retrain', 'reject'],
  summary: "Reject a retrain run's waiting step: the run stops, with your reason on its timeline",
  usage: 'lathe retrain reject RUN --reason "…" [--step train|register|deploy] [--json]',
  options: { reason: { type: 'string' }, step: { type: 'string' } },
  async run(context) {
    const step = stringOption(context, 'step') as 'train' | 'register' | 'deploy' | undefined;
    const run = await callCore(context, 'retrain:reject', {
      workspace: await context.workspace(),
      run: requiredArgument(context.positionals[0], 'the run, like rt-20260101T120000Z-a1b2c3', this.usage),
      reason: requiredArgument(stringOption(context, 'reason'), 'why, with --reason', this.usage),
      ...(step ? { step } : {}),
    });
    return { json: run, human: describeRun(run) };
  },
};

export const retrainRunsCommand: CliCommand = {
  path: ['retrain', 'runs'],
  summary: 'Retrain runs, newest first (one model, or all)',
  usage: 'lathe retrain runs [MODEL] [--max N] [--json]',
  options: { max: { type: 'string' } },
  async run(context) {
    const model = context.positionals[0];
    const runs = await callCore(context, 'retrain:runs', { workspace: await context.workspace(), ...(model ? { model } : {}), limit: integerOption(context.values.max, '--max', 1, 1000) ?? 20 });
    const human = runs.length
      ? textTable(
          ['run', 'model', 'state', 'trigger', 'started', 'version', 'why'],
          runs.map((run) => [run.id, visible(run.model), run.state, `${run.trigger.kind}: ${visible(run.trigger.detail)}`, run.startedAt.replace('T', ' ').slice(0, 19), run.links.modelVersion ?? '', visible(run.why ?? '')]),
          60,
        )
      : `No retrain runs${model ? ` of ${visible(model)}` : ''} yet: \`lathe retrain run MODEL\` starts one, \`lathe retrain set MODEL …\` sets its triggers.`;
    return { json: runs, human };
  },
};

export const retrainTimelineCommand: CliCommand = {
  path: ['retrain', 'timeline'],
  summary: "One model's timeline, oldest first: alerts → triggers (run or skipped, and why) → approvals → training → gates → versions → rollouts → outcomes",
  usage: 'lathe retrain timeline MODEL [--max N] [--json]',
  options: { max: { type: 'string' } },
  async run(context) {
    const model = modelArgument(context, this.usage);
    const timeline = await callCore(context, 'retrain:timeline', { workspace: await context.workspace(), model, limit: integerOption(context.values.max, '--max', 1, 5000) ?? 200 });
    return { json: timeline, human: timeline.entries.length ? timeline.entries.map(timelineLine).join('\n') : `Nothing has happened to ${visible(model)} yet.` };
  },
};

export const retrainCommands: readonly CliCommand[] = [retrainPolicyCommand, retrainSetCommand, retrainRunCommand, retrainApproveCommand, retrainRejectCommand, retrainRunsCommand, retrainTimelineCommand];
