import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GateReport } from '../../../shared/contract/gates.ts';
import { failedTo, failure } from '../errors.ts';
import { versionedRecord } from '../storage/versioned-record.ts';
import type { Workspace } from '../workspace/workspace.ts';

/**
 * Gate reports live with the version they judged, in the workspace's git, one file per gate run:
 *
 *   models/<name>/gate-runs/<version>/<id>.json
 *
 * (a folder of its own beside the registry's `versions/`, so neither reads the other's files).
 * One file per run means two machines that gate the same version never conflict when their
 * histories meet; the id starts with the time, so names sort oldest first. Each is committed
 * under the workspace's write lock; a failed commit leaves nothing behind.
 */
const ReportV1 = z.object({ schemaVersion: z.literal(1), report: GateReport });
const reportRecord = versionedRecord<z.infer<typeof ReportV1>>({ kind: 'gate report', versions: [ReportV1], migrations: [] });

export function gateRunsDir(model: string, version: number): string {
  return `models/${model}/gate-runs/${version}`;
}

/**
 * `20261130T043812.345Z-9f2c1a`: sortable by time to the millisecond (two runs in one second
 * still list in the order they ran), unique across machines.
 */
export function newGateRunId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, '')}-${randomBytes(3).toString('hex')}`;
}

export async function recordGateReport(workspace: Workspace, report: GateReport): Promise<string> {
  const path = `${gateRunsDir(report.model, report.version)}/${report.id}.json`;
  const message = `Gates ${report.outcome} for ${report.model}@${report.version}${report.baseline ? ` against ${report.baseline}` : ''}\n\n${report.summary}\n\nLathe-Model: ${report.model}\nLathe-Version: ${report.version}\nLathe-Gates: ${report.outcome}\n`;
  try {
    return await workspace.lock.run(
      async () => {
        if ((await workspace.stillHere()) === 'replaced') {
          throw failure('CONFLICT', `The workspace folder ${workspace.dir} was replaced by another folder while the gates ran.`, { hint: 'Open the workspace again and run the gates again.' });
        }
        return workspace.git.commit([{ path, content: reportRecord.serialize({ schemaVersion: 1, report }) }], message);
      },
      { purpose: `recording the gates of ${report.model}@${report.version}` },
    );
  } catch (error) {
    throw failedTo(`record the gate report of ${report.model}@${report.version}`, error, 'The report was not kept; the registry is as it was.');
  }
}

/** A version's gate runs, newest first. A damaged report is refused with its file name. */
export async function gateReports(workspace: Workspace, model: string, version: number, limit = 100): Promise<GateReport[]> {
  const dir = gateRunsDir(model, version);
  const names = (await workspace.git.list(dir))
    .filter((entry) => entry.type === 'blob' && entry.path.endsWith('.json'))
    .map((entry) => entry.path)
    .sort()
    .reverse()
    .slice(0, limit);
  const reports: GateReport[] = [];
  for (const name of names) {
    const path = `${dir}/${name}`;
    const text = await workspace.git.readFile(path);
    if (text !== null) reports.push(reportRecord.parse(text, path).report);
  }
  return reports;
}
