/**
 * Named points in Lathe's writes ("the branch has moved, the working tree has not"), so crash
 * and race tests can stop a process exactly there — by a signal from the code under test, not
 * by a timer. In normal runs nobody listens and a phase costs one comparison.
 */
export type PhaseListener = (phase: string) => void | Promise<void>;

let listener: PhaseListener | null = null;

/** Tests only: hear every phase reached (and hold the process there by not returning). */
export function listenToPhases(next: PhaseListener | null): void {
  listener = next;
}

export function reachPhase(phase: string): void | Promise<void> {
  return listener === null ? undefined : listener(phase);
}
