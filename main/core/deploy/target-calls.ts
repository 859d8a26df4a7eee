import { randomBytes } from 'node:crypto';
import type { DeployTarget, TargetWithHealth } from '../../../shared/contract/deployments.ts';
import type { Handlers } from '../dispatch.ts';
import { failure } from '../errors.ts';
import type { AgentAddress } from './agent-http.ts';
import type { SecretStore } from './secret-store.ts';
import { probeTarget } from './target-health.ts';
import type { StoredTarget, TargetRecords } from './target-records.ts';

export interface TargetContext {
  targets: TargetRecords;
  secrets: SecretStore;
  now?: () => Date;
}

/** A target's address with its token, for talking to its agent; the token never leaves the core. */
export async function addressOf(context: TargetContext, target: StoredTarget): Promise<AgentAddress> {
  const token = await context.secrets.get(target.secretId);
  if (token === null) {
    throw failure('FAILED_PRECONDITION', `Lathe has no admin token for target ${target.name} on this machine (it was removed from the ${target.tokenStorage === 'os-keychain' ? 'keychain' : 'token folder'}).`, {
      hint: `Add it again: \`lathe targets add ${target.name} ${target.url} --token-file F --replace\`.`,
    });
  }
  return { name: target.name, url: target.url, token };
}

const publicView = ({ secretId: _secret, ...target }: StoredTarget): DeployTarget => target;

/** `targets:add|list|remove`: deploy targets, their tokens kept in the secret store. */
export function targetCalls(context: TargetContext): Handlers {
  const now = context.now ?? (() => new Date());
  return {
    'targets:add': async ({ name, url, token, allowPlainTextToken, replace }): Promise<TargetWithHealth> => {
      const { secrets, targets } = context;
      const protection = await secrets.protection();
      if (protection === 'plain-text' && !allowPlainTextToken) {
        throw failure('FAILED_PRECONDITION', `This machine has no keychain Lathe can use, so the token for ${name} could only be kept as plain text on disk, readable by anything running as you.`, {
          hint: 'Set up a keyring (GNOME Keyring, KWallet) and restart Lathe, or confirm that plain text is acceptable here (the checkbox in Add target, or allowPlainTextToken).',
          location: { field: 'token' },
        });
      }
      const existing = await targets.get(name);
      if (existing && !replace) {
        throw failure('CONFLICT', `There is already a deploy target named ${name} (${existing.url}).`, {
          hint: `Pick another name, or replace it with \`lathe targets add ${name} URL --token-file F --replace\`.`,
          location: { field: 'name' },
        });
      }
      // Checked live before anything is kept: a typo in the URL or the token is said now, not at the first deploy.
      const health = await probeTarget({ name, url, token }, now);
      if (!health.reachable) throw failure('UNAVAILABLE', health.problem ?? `Could not reach ${url}.`, { hint: 'Is `lathe agent` running there, and is this the address it printed? Nothing was kept.', location: { field: 'url' } });
      if (health.authorized === false) throw failure('UNAUTHORIZED', `${health.problem} Nothing was kept.`, { hint: 'Use the admin token the agent printed at its first start (it is shown once).', location: { field: 'token' } });
      if (health.agentVersion === null || health.problem) throw failure('FAILED_PRECONDITION', `${health.problem ?? `${url} did not answer as a Lathe agent.`} Nothing was kept.`, { location: { field: 'url' } });
      const secretId = `${name}-${randomBytes(6).toString('hex')}`;
      const target: StoredTarget = { name, url, addedAt: now().toISOString(), tokenStorage: protection, secretId };
      await secrets.put(secretId, token);
      try {
        await targets.add(target, replace);
      } catch (error) {
        await secrets.remove(secretId).catch(() => undefined);
        throw error;
      }
      if (existing) await secrets.remove(existing.secretId).catch(() => undefined);
      return { target: publicView(target), health };
    },
    'targets:list': async ({ probe }) => {
      const all = await context.targets.list();
      return Promise.all(
        all.map(async (target): Promise<TargetWithHealth> => {
          if (!probe) return { target: publicView(target), health: null };
          const token = await context.secrets.get(target.secretId).catch(() => null);
          const health = await probeTarget({ name: target.name, url: target.url, token }, now);
          return { target: publicView(target), health: token === null ? { ...health, authorized: false, problem: `Lathe has no admin token for ${target.name} on this machine; add it again with --replace.` } : health };
        }),
      );
    },
    'targets:remove': async ({ name }) => {
      const target = await context.targets.require(name);
      await context.targets.remove(name);
      await context.secrets.remove(target.secretId).catch(() => undefined);
      return { removed: name };
    },
  };
}
