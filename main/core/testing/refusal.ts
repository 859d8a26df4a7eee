import type { LatheError } from '../../../shared/contract/result.ts';

/** Tests only: the error a call that must be refused was refused with (a call that succeeds fails the test). */
export async function refusal(promise: Promise<unknown>): Promise<LatheError> {
  try {
    await promise;
  } catch (thrown) {
    return (thrown as { error: LatheError }).error;
  }
  throw new Error('expected a refusal');
}
