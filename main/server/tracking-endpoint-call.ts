import type { OutputOf } from '../../shared/contract/calls.ts';
import { trackingHint } from '../../shared/contract/tracking-endpoint.ts';
import { dispatch, type Handlers } from '../core/dispatch.ts';
import { LatheFailure } from '../core/errors.ts';
import type { LatheCore } from '../core/lathe-core.ts';
import { urlHost } from './listen.ts';

/**
 * `tracking:endpoint` under `lathe serve`: an outside MLflow client logs to the server itself
 * (its MLflow REST API under /api/2.0/mlflow/) with the session's token, the same pair
 * `lathe serve` prints on its second line.
 */
export function servedTrackingEndpoint(options: { core: LatheCore; bindHost: string; port: number; token: string; workspace: string | undefined }): Handlers {
  const uri = trackingOrigin(options.bindHost, options.port);
  return {
    'tracking:endpoint': async () => {
      const workspace = options.workspace ?? (await defaultWorkspace(options.core));
      return { uri, token: options.token, tokenScope: 'session', workspace, experimentHint: trackingHint(workspace) };
    },
  };
}

/** The core's calls plus the server's own. */
export function withServerCalls(core: LatheCore, extra: Handlers): LatheCore {
  return { ...core, handlers: { ...core.handlers, ...extra } };
}

/** The origin a client on this machine reaches: a wildcard bind (0.0.0.0, ::) is reached at 127.0.0.1. */
export function trackingOrigin(bindHost: string, port: number): string {
  const wildcard = bindHost === '0.0.0.0' || bindHost === '::' || bindHost === '[::]';
  return `http://${wildcard ? '127.0.0.1' : urlHost(bindHost)}:${port}`;
}

async function defaultWorkspace(core: LatheCore): Promise<string> {
  const opened = await dispatch(core.handlers, 'workspace:default', {});
  if (!opened.ok) throw new LatheFailure(opened.error);
  return (opened.value as OutputOf<'workspace:default'>).path;
}
