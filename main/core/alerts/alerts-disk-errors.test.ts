import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.ts';
import { privateFileSecrets } from '../deploy/secret-store.ts';
import { tokensDir } from '../deploy/target-records.ts';
import { dispatch } from '../dispatch.ts';
import { coreOnNewWorkspace } from '../testing/core-fixture.ts';
import { failNthWrite } from '../testing/fs-faults.ts';
import { gitCli } from '../testing/git-cli.ts';
import { useTempDirs } from '../testing/temp-dir.ts';
import { WebhookSettings } from './webhook-settings.ts';

/** A disk that refuses a write while alert rules or the webhook are saved. */
const tempDir = useTempDirs();

const rules = (windows: number) => [{ id: 'drift', kind: 'feature-drift', feature: '*', windows }];

async function tempFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((path) => /\.tmp$/.test(path));
}

describe('a full disk', () => {
  it('at any write step of saving the rules gives DISK_ERROR and leaves lathe.alerts.json as committed, or saved whole', { timeout: 120_000 }, async () => {
    const { core, workspace } = await coreOnNewWorkspace(await tempDir());
    try {
      const save = async (windows: number) => (await dispatch(core.handlers, 'alerts:save-rules', { workspace, rules: rules(windows) })) as Result<{ status: string }>;
      expect((await save(1)).ok).toBe(true);
      const counting = await failNthWrite(workspace, Number.POSITIVE_INFINITY, 'ENOSPC');
      expect((await save(2)).ok).toBe(true);
      counting.restore();
      const steps = counting.log.length;
      expect(steps).toBeGreaterThan(3);

      for (let k = 1; k <= steps; k += 1) {
        const head = gitCli(workspace, 'rev-parse', 'HEAD').trim();
        const faults = await failNthWrite(workspace, k, 'ENOSPC');
        let result: Result<{ status: string }>;
        try {
          result = await save(k + 2);
        } finally {
          faults.restore();
        }
        const committed = JSON.parse(gitCli(workspace, 'show', 'HEAD:lathe.alerts.json')) as { rules: { windows: number }[] };
        if (result.ok) {
          expect(committed.rules[0]!.windows, `step ${k}`).toBe(k + 2);
        } else {
          expect(result.error, `step ${k}`).toMatchObject({ code: 'DISK_ERROR', message: expect.stringMatching(/^Could not save lathe\.alerts\.json: .*ENOSPC.* The file was left as it was\.$/) });
          expect(gitCli(workspace, 'rev-parse', 'HEAD').trim(), `step ${k}`).toBe(head);
        }
        expect(await tempFiles(workspace), `step ${k}`).toEqual([]);
      }
      expect((await save(40)).ok).toBe(true);
      expect(JSON.parse(await readFile(join(workspace, 'lathe.alerts.json'), 'utf8'))).toMatchObject({ rules: [{ windows: 40 }] });
    } finally {
      await core.close();
    }
  });

  it('at any write step of setting the webhook gives DISK_ERROR and keeps the webhook set before', { timeout: 60_000 }, async () => {
    const root = await tempDir();
    const { core } = await coreOnNewWorkspace(root);
    const state = join(root, 'state');
    try {
      const set = async (path: string) => (await dispatch(core.handlers, 'alerts:webhook-set', { url: `https://hooks.example.com/${path}`, allowHosts: ['hooks.example.com'] })) as Result<{ maskedUrl: string }>;
      const get = async () => ((await dispatch(core.handlers, 'alerts:webhook-get', {})) as Result<{ webhook: { maskedUrl: string } | null }>);
      expect((await set('first')).ok).toBe(true);
      const counting = await failNthWrite(state, Number.POSITIVE_INFINITY, 'ENOSPC');
      expect((await set('second')).ok).toBe(true);
      counting.restore();
      const steps = counting.log.length;
      expect(steps).toBeGreaterThan(3);

      let refused = 0;
      for (let k = 1; k <= steps; k += 1) {
        const faults = await failNthWrite(state, k, 'ENOSPC');
        let result: Result<{ maskedUrl: string }>;
        try {
          result = await set(`attempt-${String(k).padStart(2, '0')}`);
        } finally {
          faults.restore();
        }
        const now = await get();
        expect(now.ok, `step ${k}`).toBe(true);
        if (!result.ok) {
          refused += 1;
          expect(result.error, `step ${k}`).toMatchObject({ code: 'DISK_ERROR', message: expect.stringContaining('The webhook set before is kept.') });
        }
        // Whichever happened, the webhook kept is a whole one: its record names a secret that is there.
        const kept = await new WebhookSettings(state, privateFileSecrets(tokensDir(state))).target();
        expect(kept?.url, `step ${k}`).toMatch(/^https:\/\/hooks\.example\.com\/(second|attempt-\d\d)$/);
        expect(await tempFiles(state), `step ${k}`).toEqual([]);
      }
      expect(refused).toBeGreaterThan(0);
    } finally {
      await core.close();
    }
  });
});
