import type { GateSpec } from '../../../shared/contract/gates.ts';
import { failedTo, failure } from '../errors.ts';
import { requireModel } from '../registry/model-reads.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { defaultGateSpec, gateSpecPath, loadGateSpec, parseGateSpec, serializeGateSpec } from './gate-spec-file.ts';

export interface SpecWritten {
  path: string;
  /** Null when nothing was committed (the spec was already there, or unchanged). */
  commit: string | null;
  spec: GateSpec;
}

/**
 * `lathe gates init NAME`: commit the default spec with every field spelled out, for a person to
 * edit. A spec already there is kept (and returned, so its problems show) unless `replace`.
 */
export async function initGateSpec(workspace: Workspace, name: string, replace: boolean): Promise<SpecWritten & { created: boolean }> {
  const path = gateSpecPath(name);
  return writeSpec(workspace, name, `${replace ? 'Reset' : 'Add'} the gate spec of ${name}`, async () => {
    if (!replace && (await workspace.git.readFile(path)) !== null) return { keep: (await loadGateSpec(workspace.git, name)).spec };
    return { write: serializeGateSpec(defaultGateSpec()) };
  }).then((written) => ({ ...written, created: written.commit !== null }));
}

/** Save a spec a person edited (the app, or a script): checked whole before anything is written. */
export async function saveGateSpec(workspace: Workspace, name: string, text: string): Promise<SpecWritten> {
  const path = gateSpecPath(name);
  parseGateSpec(text, path);
  return writeSpec(workspace, name, `Edit the gate spec of ${name}`, async () => ((await workspace.git.readFile(path)) === text ? { keep: parseGateSpec(text, path).spec } : { write: text.endsWith('\n') ? text : `${text}\n` }));
}

async function writeSpec(workspace: Workspace, name: string, title: string, decide: () => Promise<{ keep: GateSpec } | { write: string }>): Promise<SpecWritten> {
  const path = gateSpecPath(name);
  try {
    return await workspace.lock.run(
      async () => {
        await requireModel(workspace, name);
        const decision = await decide();
        if ('keep' in decision) return { path, commit: null, spec: decision.keep };
        if ((await workspace.stillHere()) === 'replaced') {
          throw failure('CONFLICT', `The workspace folder ${workspace.dir} was replaced by another folder meanwhile.`, { hint: 'Open the workspace again and repeat.' });
        }
        const commit = await workspace.git.commit([{ path, content: decision.write }], `${title}\n\nLathe-Model: ${name}\n`);
        return { path, commit, spec: parseGateSpec(decision.write, path).spec };
      },
      { purpose: `writing the gate spec of ${name}` },
    );
  } catch (error) {
    throw failedTo(`write ${path}`, error, 'Nothing was changed.');
  }
}
