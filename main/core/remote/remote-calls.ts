import type { Handlers } from '../dispatch.ts';
import type { EventHub } from '../events.ts';
import type { OpenWorkspaces } from '../workspace/open-workspaces.ts';
import { chooseRemote } from './choose-remote.ts';
import { dataStatus } from './data-status.ts';
import { neededBlobs } from './needed-blobs.ts';
import { pullBlobs } from './pull-blobs.ts';
import { pushBlobs } from './push-blobs.ts';
import { addRemote, readRemotes, remoteList, removeRemote } from './remotes-file.ts';
import { transferProgress } from './transfer-progress.ts';

export interface RemoteCallsContext {
  workspaces: OpenWorkspaces;
  events: EventHub;
  /** May a call name a folder on this machine directly (`url`)? Not from the browser front door. */
  allowUrls: boolean;
}

/** Byte remotes: the list (committed in lathe.remotes.json), and moving blobs to and from one. */
export function remoteCalls({ workspaces, events, allowUrls }: RemoteCallsContext): Handlers {
  return {
    'remote:add': async ({ workspace, name, url, makeDefault }) => addRemote(await workspaces.at(workspace), { name, url, makeDefault }),
    'remote:list': async ({ workspace }) => remoteList(await readRemotes(await workspaces.at(workspace))),
    'remote:remove': async ({ workspace, name }) => removeRemote(await workspaces.at(workspace), name),
    'data:push': async ({ workspace: path, remote, url, token, allVersions }) => {
      const workspace = await workspaces.at(path);
      const chosen = (await chooseRemote(workspace, { remote, url, token }, { allowUrls, required: true }))!;
      const needed = await neededBlobs(workspace, { allVersions: allVersions ?? false });
      return pushBlobs(workspace.blobs, needed, chosen, transferProgress(events, workspace.dir, 'push'));
    },
    'data:pull': async ({ workspace: path, remote, url, token, allVersions }) => {
      const workspace = await workspaces.at(path);
      const chosen = (await chooseRemote(workspace, { remote, url, token }, { allowUrls, required: true }))!;
      const needed = await neededBlobs(workspace, { allVersions: allVersions ?? false });
      return pullBlobs(workspace.blobs, needed, chosen, transferProgress(events, workspace.dir, 'pull'));
    },
    'data:status': async ({ workspace: path, remote, url, token, allVersions }) => {
      const workspace = await workspaces.at(path);
      return dataStatus(workspace, await chooseRemote(workspace, { remote, url, token }, { allowUrls, required: false }), { allVersions: allVersions ?? false });
    },
  };
}
