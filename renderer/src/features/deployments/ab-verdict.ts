import type { Experiment } from '../../../../shared/contract/agent-admin.ts';

/**
 * An A/B test's state in sentences a person deciding can act on: what the outcomes say so far
 * (the difference, the test and its p-value at the 5 % level), and how many more outcomes each
 * arm needs to tell a difference of this size (the agent's power analysis, 80 %).
 */
export function abVerdict(experiment: Experiment, model: string): { headline: string; detail: string } {
  const { stable, candidate, test, power, metric } = experiment;
  if (metric === null || stable.n + candidate.n === 0) {
    return {
      headline: 'No outcomes yet.',
      detail: `Send each outcome to POST /v2/models/${model}/feedback with the request id its prediction carried (X-Request-Id) and the true label, or a reward.`,
    };
  }
  const what = metric === 'accuracy' ? 'accuracy' : 'mean reward';
  if (test === null || stable.mean === null || candidate.mean === null) {
    return { headline: `Too few outcomes to compare ${what} yet (${stable.n} for stable, ${candidate.n} for the candidate).`, detail: 'Each arm needs a few outcomes before a test means anything.' };
  }
  const difference = candidate.mean - stable.mean;
  const size = metric === 'accuracy' ? `${Math.abs(difference * 100).toFixed(1)} points` : Math.abs(difference).toPrecision(3);
  const same = metric === 'accuracy' ? Math.abs(difference) < 0.0005 : difference === 0;
  const direction = same ? 'the same as' : difference > 0 ? `${size} better than` : `${size} worse than`;
  const testName = test.kind === 'two-proportion-z' ? 'two-proportion z-test' : 'Welch’s t-test';
  const p = test.pValue < 0.001 ? 'p < 0.001' : `p = ${test.pValue.toFixed(3)}`;
  const significant = test.pValue < 0.05;
  const headline = `The candidate’s ${what} is ${direction} stable’s (${p}, ${testName}): ${significant ? 'a real difference at the 5 % level' : 'not distinguishable from chance yet'}.`;
  const detail =
    power === null
      ? 'No sample size can be estimated for a difference of zero.'
      : power.remainingPerArm === 0
        ? `Enough outcomes to detect a difference this size (${power.neededPerArm.toLocaleString()} per arm, 80 % power).`
        : `About ${power.remainingPerArm.toLocaleString()} more outcomes per arm to detect a difference this size reliably (${power.neededPerArm.toLocaleString()} per arm, 80 % power).`;
  return { headline, detail };
}
