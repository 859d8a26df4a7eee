import { resolve } from 'node:path';
import type { Deployment, DeploymentWithEvents, RolloutStatus } from '../../../shared/contract/deployments.ts';
import { failure } from '../../core/errors.ts';
import { callCore } from '../call-core.ts';
import type { CliCommand, CliContext } from '../cli-command.ts';
import { integerOption, requiredArgument, stringOption } from '../option-values.ts';
import { textTable } from '../text-table.ts';
import { visible } from '../terminal-text.ts';

/** `lathe deploy NAME@V --target T`, `lathe deploy status|promote|rollback|history|export`. */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration flag, strictly: a whole number and one unit — `500ms`, `30s`, `2m`, `1h`; undefined when not given. */
export function durationOption(value: unknown, flag: string, minMs: number, maxMs: number): number | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^(\d{1,9})(ms|s|m|h)$/.exec(value) : null;
  const ms = match ? Number(match[1]) * UNITS[match[2]!]! : NaN;
  if (!match || ms < minMs || ms > maxMs) {
    throw failure('INVALID_INPUT', `${flag} takes a duration like 500ms, 30s, 2m or 1h, from ${describeMs(minMs)} to ${describeMs(maxMs)}; got "${visible(String(value))}".`, { location: { field: flag.replace(/^--/, '') } });
  }
  return ms;
}

/** `10,25,50,100`: whole percents, rising. */
export function stepsOption(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = typeof value === 'string' ? value.split(',') : [];
  const steps = parts.map((part) => (/^\d{1,3}$/.test(part.trim()) ? Number(part.trim()) : NaN));
  if (steps.length === 0 || steps.some((step) => !(step >= 1 && step <= 100)) || steps.some((step, i) => i > 0 && step <= steps[i - 1]!)) {
    throw failure('INVALID_INPUT', `--steps takes rising percents of traffic from 1 to 100, separated by commas, like 10,25,50,100; got "${visible(String(value))}".`, { location: { field: 'steps' } });
  }
  return steps;
}

function describeMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const STRATEGIES = ['replace', 'canary', 'ab', 'shadow'] as const;

export const deployCommand: CliCommand = {
  path: ['deploy'],
  summary: 'Deploy a model version to a target: replace, or a canary / A-B / shadow rollout the agent runs itself',
  usage: 'lathe deploy NAME@VERSION --target T [--strategy replace|canary|ab|shadow] [--steps 10,25,50,100] [--interval 30s] [--weight N] [--override-reason TEXT] [--wait]',
  details: [
    'The version\'s latest gate run must have passed (`lathe gates run NAME@V`); a failed run, or none, refuses',
    'unless --override-reason says why, which the deployment history keeps. The version is packaged, signed with',
    'your key and streamed to the target\'s agent, which loads it only if its signature and hashes verify.',
    '  replace  load, check, switch; the old version serves until the switch (waits, then prints the outcome)',
    '  canary   the new version takes --steps of traffic (default 10,25,50,100), one step per --interval',
    '           (default 1m); at each, its error rate, p99 latency and disagreement with the stable version',
    '           are analysed; failures roll it back by itself, success promotes it',
    '  ab       --weight percent (default 50) of keyed traffic to the new version; you promote or roll back',
    '  shadow   every request mirrored to the new version, its replies dropped and compared',
    'A rollout runs on the agent (a closed laptop does not strand it): this prints its id and returns; with',
    '--wait it follows the rollout until it ends. One deploy of a model to a target at a time.',
    'Examples: lathe deploy penguins@champion --target edge-1',
    '          lathe deploy penguins@4 --target edge-1 --strategy canary --steps 10,50,100 --interval 30s --wait',
  ].join('\n'),
  options: {
    target: { type: 'string', short: 't' },
    strategy: { type: 'string' },
    steps: { type: 'string' },
    interval: { type: 'string' },
    weight: { type: 'string' },
    'override-reason': { type: 'string' },
    wait: { type: 'boolean' },
  },
  async run(context) {
    const usage = this.usage;
    const ref = requiredArgument(context.positionals[0], 'the model version', usage);
    const target = requiredArgument(stringOption(context, 'target'), 'the target with --target T', usage);
    const strategy = stringOption(context, 'strategy') ?? 'replace';
    if (!(STRATEGIES as readonly string[]).includes(strategy)) throw failure('INVALID_INPUT', `--strategy is one of ${STRATEGIES.join(', ')}; got "${visible(strategy)}".`, { location: { field: 'strategy' } });
    const steps = stepsOption(context.values.steps);
    const intervalMs = durationOption(context.values.interval, '--interval', 1000, 86_400_000);
    const weight = integerOption(context.values.weight, '--weight', 1, 99);
    const reason = stringOption(context, 'override-reason');
    if (!context.json) context.err(`Deploying ${visible(ref)} to ${visible(target)} (${strategy})…`);
    // Each step as the core reports it (packaging, uploading, switching), on stderr so --json stays one value.
    const stopListening = context.json ? () => undefined : (await context.core()).events.on((event) => event.name === 'deployments:progress' && context.err(`  ${visible(event.payload.message)}`));
    const deployment = await callCore(context, 'deploy:start', {
      workspace: await context.workspace(),
      ref,
      target,
      strategy: strategy as (typeof STRATEGIES)[number],
      ...(steps ? { steps } : {}),
      ...(intervalMs !== undefined ? { intervalMs } : {}),
      ...(weight !== undefined ? { weight } : {}),
      ...(reason !== undefined ? { override: { reason } } : {}),
    }).finally(stopListening);
    if (deployment.state !== 'rolling-out' || context.values.wait !== true) {
      const next = deployment.state === 'rolling-out' ? [`Follow it: lathe deploy status --target ${visible(target)}; end it: lathe deploy promote|rollback ${visible(deployment.model)} --target ${visible(target)}`] : deployment.state === 'succeeded' ? [`Watch it: lathe monitor report ${visible(deployment.name)}`] : [];
      return { json: deployment, human: [describeDeployment(deployment), ...next].join('\n') };
    }
    const ended = await followRollout(context, deployment);
    return { json: ended, human: describeDeployment(ended), exitCode: ended.state === 'succeeded' ? 0 : 1 };
  },
};

/** Poll the rollout until it ends, printing each change of step, weight or phase (stderr, so --json stays one value). */
async function followRollout(context: CliContext, deployment: Deployment): Promise<Deployment> {
  const { setTimeout: sleep } = await import('node:timers/promises');
  const every = Math.max(1000, Math.min(10_000, Math.floor((deployment.intervalMs ?? 10_000) / 4)));
  let said = '';
  for (;;) {
    const { deployment: now, rollout, problem } = await callCore(context, 'deploy:rollout', { workspace: await context.workspace(), id: deployment.id });
    const line = rollout ? describeRollout(rollout) : `(${problem ?? 'no rollout reported'})`;
    if (line !== said && !context.json) context.err(line);
    said = line;
    if (now.state !== 'rolling-out') return now;
    await sleep(every);
  }
}

function describeRollout(rollout: RolloutStatus): string {
  const last = rollout.analyses.at(-1);
  return `${rollout.phase}: step ${rollout.step + 1}, ${rollout.weight}% to ${visible(rollout.model)}@${visible(rollout.candidate.version)}, ${rollout.failedAnalyses} failed analyses${last ? `; last: ${last.verdict} (${visible(last.reason)})` : ''}`;
}

function describeDeployment(d: Deployment): string {
  const override = d.overrideReason ? `\nGates overridden: ${visible(d.overrideReason)}` : '';
  return `Deployment ${d.id} (${visible(d.name)}): ${visible(d.model)}@${d.version} to ${visible(d.target)} (${d.strategy}) — ${d.state}. ${visible(d.outcome)}${override}`;
}

export const deployStatusCommand: CliCommand = {
  path: ['deploy', 'status'],
  summary: 'What runs where, live from the agents: each model, its versions, traffic split and rollout',
  usage: 'lathe deploy status [--target T] [--model NAME]',
  options: { target: { type: 'string', short: 't' }, model: { type: 'string' } },
  async run(context) {
    const statuses = await callCore(context, 'deploy:status', { workspace: await context.workspace(), ...(stringOption(context, 'target') ? { target: stringOption(context, 'target')! } : {}), ...(stringOption(context, 'model') ? { model: stringOption(context, 'model')! } : {}) });
    if (statuses.length === 0) return { json: statuses, human: 'No deploy targets yet. Add one with: lathe targets add NAME URL --token-file FILE' };
    // A deployment is named TARGET/MODEL, as `lathe monitor` takes it.
    const rows = statuses.flatMap((status) =>
      status.models.length === 0
        ? [[`${status.target} ${status.health.reachable ? '(nothing served)' : '(unreachable)'}`, null, null, null]]
        : status.models.map((m) => [m.deploymentName, m.stableVersion, m.candidateVersion ? `${m.candidateVersion} at ${m.candidateWeight}%` : '—', m.rolloutStatus ? `${m.rolloutStatus.strategy} ${m.rolloutStatus.phase}, step ${m.rolloutStatus.step + 1}` : '—']),
    );
    const problems = statuses.filter((s) => s.health.problem).map((s) => `  ${visible(s.target)}: ${visible(s.health.problem!)}`);
    return { json: statuses, human: [textTable(['deployment', 'stable', 'candidate', 'rollout'], rows, 60), ...(problems.length ? ['', ...problems] : [])].join('\n') };
  },
};

function rolloutAction(word: 'promote' | 'rollback'): CliCommand {
  const call = word === 'promote' ? 'deploy:promote' : 'deploy:abort';
  return {
    path: ['deploy', word],
    summary: word === 'promote' ? 'Promote the rollout of a model on a target now: the new version takes all traffic' : 'Roll back the rollout of a model on a target: all traffic back to the stable version',
    usage: `lathe deploy ${word} MODEL --target T`,
    options: { target: { type: 'string', short: 't' } },
    async run(context) {
      const model = requiredArgument(context.positionals[0], 'the model', this.usage);
      const target = requiredArgument(stringOption(context, 'target'), 'the target with --target T', this.usage);
      const deployment = await callCore(context, call, { workspace: await context.workspace(), target, model });
      return { json: deployment, human: describeDeployment(deployment) };
    },
  };
}

export const deployHistoryCommand: CliCommand = {
  path: ['deploy', 'history'],
  summary: 'Every deployment from this workspace, newest first: who, when, what, where, how it ended',
  usage: 'lathe deploy history [--target T] [--model NAME] [--limit N] [--events]',
  options: { target: { type: 'string', short: 't' }, model: { type: 'string' }, limit: { type: 'string' }, events: { type: 'boolean' } },
  async run(context) {
    const limit = integerOption(context.values.limit, '--limit', 1, 1000) ?? 20;
    const history: DeploymentWithEvents[] = await callCore(context, 'deploy:history', {
      workspace: await context.workspace(),
      limit,
      ...(stringOption(context, 'target') ? { target: stringOption(context, 'target')! } : {}),
      ...(stringOption(context, 'model') ? { model: stringOption(context, 'model')! } : {}),
    });
    if (history.length === 0) return { json: history, human: 'No deployments from this workspace yet.' };
    const table = textTable(['started', 'id', 'version', 'deployment', 'strategy', 'state', 'by', 'gates'], history.map((d) => [d.startedAt.replace('T', ' ').slice(0, 19), d.id, `${d.model}@${d.version}`, d.name, d.strategy, d.state, d.by, d.overrideReason ? `${d.gate.outcome} (overridden)` : d.gate.outcome]), 60);
    const events = context.values.events === true ? history.flatMap((d) => ['', `${d.id}: ${visible(d.outcome)}`, ...d.events.map((e) => `  ${e.at.replace('T', ' ').slice(0, 19)}  ${e.kind.padEnd(16)} ${visible(e.message)}`)]) : [];
    return { json: history, human: [table, ...events].join('\n') };
  },
};

export const deployExportCommand: CliCommand = {
  path: ['deploy', 'export'],
  summary: 'Write a version for Kubernetes: signed bundle, a Dockerfile running the packed agent with it, a KServe InferenceService',
  usage: 'lathe deploy export NAME@VERSION --kserve DIR [--canary PERCENT] [--image REF] [--force]',
  details: [
    'DIR gets the signed bundle, agent-data/ (so the agent serves it from its first start), the packed agent in',
    'agent/ (as `lathe agent pack` writes it), a Dockerfile (node:22-slim, port 8080, --trust set to your signing',
    'key) and inferenceservice.yaml (KServe v1beta1: custom predictor, readiness and liveness on /v2/health/*).',
    '--canary N sets canaryTrafficPercent: N% to this revision, the rest to the last one rolled out.',
    'Example: lathe deploy export penguins@champion --kserve k8s/penguins --image ghcr.io/acme/penguins:4 --canary 10',
  ].join('\n'),
  options: { kserve: { type: 'string' }, canary: { type: 'string' }, image: { type: 'string' }, force: { type: 'boolean' } },
  async run(context) {
    const usage = this.usage;
    const ref = requiredArgument(context.positionals[0], 'the model version', usage);
    const dir = requiredArgument(stringOption(context, 'kserve'), 'the folder to write with --kserve DIR', usage);
    const canaryPercent = integerOption(context.values.canary, '--canary', 0, 100);
    const image = stringOption(context, 'image');
    const exported = await callCore(context, 'deploy:export-kserve', { workspace: await context.workspace(), ref, dir: resolve(context.cwd, dir), force: context.values.force === true, ...(canaryPercent !== undefined ? { canaryPercent } : {}), ...(image ? { image } : {}) });
    const { join } = await import('node:path');
    const { readFile } = await import('node:fs/promises');
    const { packAgent } = await import('../agent-pack.ts');
    const { version } = JSON.parse(await readFile(join(context.files.root, 'package.json'), 'utf8')) as { version: string };
    const packed = await packAgent(join(context.files.root, 'main', 'dist'), join(exported.dir, 'agent'), version).then(
      () => 'the packed agent in agent/',
      (error: { error?: { message: string } }) => `NOT the agent: ${error.error?.message ?? String(error)} Pack it yourself: lathe agent pack --out ${join(exported.dir, 'agent')}`,
    );
    const human = [
      `Exported ${visible(exported.model)}@${exported.version} for KServe into ${visible(exported.dir)} (signed by ${exported.signer}), with ${packed}:`,
      ...exported.files.map((file) => `  ${visible(file.path)}  ${file.bytes} bytes`),
      `Then: docker build -t ${visible(exported.image)} ${visible(exported.dir)} && docker push ${visible(exported.image)} && kubectl apply -f ${visible(join(exported.dir, 'inferenceservice.yaml'))}`,
    ].join('\n');
    return { json: exported, human };
  },
};

// The sub-commands come first: `lathe deploy status` is status, not a deploy of a model named "status".
export const deployCommands: readonly CliCommand[] = [deployStatusCommand, rolloutAction('promote'), rolloutAction('rollback'), deployHistoryCommand, deployExportCommand, deployCommand];
