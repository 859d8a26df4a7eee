import type { RetrainLinks, TimelineEntry } from '../../../shared/contract/retraining.ts';
import { LatheFailure } from '../errors.ts';
import { noLinks, type EventRow } from './retrain-records.ts';
import type { RetrainServices } from './retrain-services.ts';

/**
 * One model's timeline, oldest first: its retraining events (triggers run or skipped, approvals,
 * steps, outcomes) merged with what happened around them — the alerts raised on its deployments,
 * deployments a person made, versions registered by hand — so "why is this version live?" and
 * "why did nothing retrain?" read top to bottom. What a retrain did itself is told once, by the
 * retrain's own entries.
 */
export async function modelTimeline(model: string, events: readonly EventRow[], limit: number, services: RetrainServices): Promise<TimelineEntry[]> {
  const linked = (pick: (links: RetrainLinks) => string | number | null) => new Set(events.map((event) => pick(event.links)).filter((value) => value !== null));
  const ourDeployments = linked((links) => links.deploymentId);
  const ourVersions = linked((links) => links.modelVersion);
  const entries: (TimelineEntry & { order: number })[] = events.map((event) => ({
    at: new Date(event.at).toISOString(),
    kind: event.kind,
    message: event.message,
    runId: event.run,
    links: event.links,
    order: 1,
  }));

  const { alerts } = await optional(services.call('alerts:list', { workspace: services.workspace, state: 'all', limit: 5000 }), { alerts: [] });
  for (const alert of alerts) {
    if (!alert.deployment.endsWith(`/${model}`)) continue;
    entries.push({ at: alert.raisedAt, kind: 'alert', message: `Alert on ${alert.deployment} (${alert.ruleKind}, ${alert.severity}): ${alert.summary}`, runId: null, links: { ...noLinks(), alertId: alert.id }, order: 0 });
  }
  for (const deployment of await optional(services.call('deploy:history', { workspace: services.workspace, model, limit: 1000 }), [])) {
    if (ourDeployments.has(deployment.id)) continue;
    const links = { ...noLinks(), deploymentId: deployment.id, modelVersion: deployment.version };
    entries.push({ at: deployment.startedAt, kind: 'rollout', message: `${deployment.by} deployed ${deployment.ref} to ${deployment.target} (${deployment.strategy}): ${deployment.outcome}`, runId: null, links, order: 2 });
  }
  const detail = await optional(services.call('models:show', { workspace: services.workspace, name: model }), null);
  for (const version of detail?.versionList ?? []) {
    if (ourVersions.has(version.version)) continue;
    entries.push({ at: version.registeredAt, kind: 'version', message: `${model}@${version.version} registered from training run ${version.runId}${version.aliases.length ? ` (now ${version.aliases.join(', ')})` : ''}.`, runId: null, links: { ...noLinks(), trainingRunId: version.runId, modelVersion: version.version }, order: 2 });
  }
  // A stable sort: entries at the same moment keep alert → retrain events → the rest.
  const sorted = entries.map((entry, index) => ({ entry, index })).sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.entry.order - b.entry.order || a.index - b.index);
  return sorted.slice(-limit).map(({ entry: { order: _order, ...entry } }) => entry);
}

/** A source the timeline can do without: a model never registered, a Lathe without alerts yet. */
async function optional<T, F>(pending: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof LatheFailure && (error.error.code === 'NOT_FOUND' || error.error.code === 'UNAVAILABLE')) return fallback;
    throw error;
  }
}
