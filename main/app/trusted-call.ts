import type { Result } from '../../shared/contract/result.ts';
import { dispatch, type Handlers } from '../core/dispatch.ts';
import { isTrustedSender } from './app-origin.ts';

/**
 * One IPC call, decided without electron (ipc-bridge.ts passes in the sender frame's URL): refuse
 * any frame that is not our UI, then take the single contract path into the core.
 */
export async function callFromSender(
  handlers: Handlers,
  senderFrameUrl: string | null | undefined,
  name: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  if (!isTrustedSender(senderFrameUrl)) {
    return {
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: `Refused a call from ${senderFrameUrl ? `"${senderFrameUrl}"` : 'a frame that no longer exists'}: only Lathe's own UI may call the app.`,
      },
    };
  }
  if (typeof name !== 'string') {
    return { ok: false, error: { code: 'INVALID_INPUT', message: 'A call name must be a string.' } };
  }
  return dispatch(handlers, name, input);
}
