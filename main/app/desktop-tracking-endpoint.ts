import type { OutputOf } from '../../shared/contract/calls.ts';
import { trackingHint } from '../../shared/contract/tracking-endpoint.ts';
import { dispatch, type Handlers } from '../core/dispatch.ts';
import { failure, LatheFailure } from '../core/errors.ts';
import type { LatheCore } from '../core/lathe-core.ts';
import { openTrackingEndpoint, type MlflowHandler, type TrackingEndpoint } from '../core/script-runs/tracking-endpoint.ts';

export interface DesktopTrackingEndpoint {
  /** `tracking:endpoint`, answered with this endpoint's URI and token. */
  readonly handlers: Handlers;
  readonly uri: string;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * The desktop app's MLflow endpoint for the user's own code (a notebook, `python train.py` run
 * outside Lathe): the same loopback listener a script run gets (127.0.0.1, a free port, Host
 * checked, a random token compared in constant time, MLflow's REST routes only — the token
 * opens tracking and nothing else of Lathe), but started with the app and kept, with its token,
 * until the app quits. Runs land in the workspace Lathe opens first (the last one opened), as
 * under `lathe serve` without --workspace; `tracking:endpoint` names it.
 *
 * No Electron here: the app only starts it and closes it on quit, so it is tested in plain Node.
 */
export async function startDesktopTrackingEndpoint({
  core,
  mlflowHandler,
  open = openTrackingEndpoint,
}: {
  core: LatheCore;
  mlflowHandler: MlflowHandler;
  /** How the listener is opened (tests pass one that fails). */
  open?: typeof openTrackingEndpoint;
}): Promise<DesktopTrackingEndpoint | UnavailableTrackingEndpoint> {
  let endpoint: TrackingEndpoint;
  try {
    endpoint = await open(async (req, res) => {
      const workspace = await core.openWorkspace(await defaultWorkspace(core));
      return mlflowHandler(req, res, { workspace, events: core.events });
    });
  } catch (thrown) {
    // The app still starts: only the panel that shows the endpoint says what went wrong.
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    return {
      uri: null,
      token: null,
      handlers: {
        'tracking:endpoint': async () => {
          throw failure('UNAVAILABLE', `Lathe could not open its MLflow endpoint on 127.0.0.1 when it started: ${reason}`, {
            hint: 'Restart Lathe; until then `lathe serve` answers MLflow too, and "Run a script…" gives a script its own endpoint.',
          });
        },
      },
      close: async () => {},
    };
  }
  return {
    uri: endpoint.uri,
    token: endpoint.token,
    handlers: {
      'tracking:endpoint': async () => {
        const workspace = await defaultWorkspace(core);
        return { uri: endpoint.uri, token: endpoint.token, tokenScope: 'tracking', workspace, experimentHint: trackingHint(workspace) };
      },
    },
    close: () => endpoint.close(),
  };
}

/** The endpoint could not listen: `tracking:endpoint` says why. */
export interface UnavailableTrackingEndpoint {
  readonly handlers: Handlers;
  readonly uri: null;
  readonly token: null;
  close(): Promise<void>;
}

async function defaultWorkspace(core: LatheCore): Promise<string> {
  const opened = await dispatch(core.handlers, 'workspace:default', {});
  if (!opened.ok) throw new LatheFailure(opened.error);
  return (opened.value as OutputOf<'workspace:default'>).path;
}
