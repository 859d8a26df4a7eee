import { yamlText, type YamlValue } from './yaml-text.ts';

/**
 * `lathe pipeline export --github`: a GitHub Actions workflow that runs the workspace's pipeline
 * on a push (and by hand), exactly as `lathe pipeline run` does on a laptop, then keeps the
 * gates' reports — JUnit XML as a check with a test per gate check, Markdown in the job summary,
 * both (and the run record) as an artifact. The job fails when the pipeline does.
 */
export interface WorkflowOptions {
  /** Branches whose pushes run it. */
  branches: readonly string[];
  nodeVersion: string;
}

export const REPORTS_DIR = 'lathe-reports';

/**
 * Lathe comes from the workspace's own package.json and lockfile (`npm ci`), and runs from
 * node_modules/.bin — never by its name from the npm registry, where `lathe` is another project:
 * `npm install lathe` or `npx lathe` would fetch and run someone else's code in the job.
 */
const LATHE = './node_modules/.bin/lathe';

export function githubWorkflow(options: WorkflowOptions): string {
  const workflow: YamlValue = {
    name: 'Lathe pipeline',
    on: {
      push: { branches: [...options.branches] },
      workflow_dispatch: {},
    },
    permissions: { contents: 'read', checks: 'write' },
    concurrency: { group: 'lathe-pipeline-${{ github.ref }}', 'cancel-in-progress': false },
    jobs: {
      pipeline: {
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 120,
        steps: [
          // The whole history: dataset versions and the registry are commits, which a shallow clone would cut.
          { name: 'Check out the workspace', uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
          { name: 'Set up Node', uses: 'actions/setup-node@v4', with: { 'node-version': options.nodeVersion, cache: 'npm' } },
          { name: 'Install Lathe (from package.json)', run: 'npm ci' },
          {
            name: 'Run the pipeline',
            run: `${LATHE} pipeline run --json --reports ${REPORTS_DIR} > ${REPORTS_DIR}-run.json`,
          },
          {
            name: 'Gate reports in the job summary',
            if: '${{ always() }}',
            run: `for report in ${REPORTS_DIR}/*.md; do\n  if [ -f "$report" ]; then cat "$report" >> "$GITHUB_STEP_SUMMARY"; fi\ndone\n`,
          },
          {
            name: 'Keep the reports',
            if: '${{ always() }}',
            uses: 'actions/upload-artifact@v4',
            with: { name: 'lathe-pipeline-reports', path: `${REPORTS_DIR}/\n${REPORTS_DIR}-run.json\n`, 'if-no-files-found': 'warn' },
          },
          {
            name: 'Gate checks as a test report',
            if: '${{ always() }}',
            uses: 'mikepenz/action-junit-report@v5',
            with: { report_paths: `${REPORTS_DIR}/*.junit.xml`, check_name: 'Lathe gates', require_tests: false },
          },
        ],
      },
    },
  };
  return yamlText(workflow, [
    'Written by `lathe pipeline export --github`: runs lathe.pipeline.json on every push to',
    `${options.branches.join(', ')} (and from the Actions tab), as \`lathe pipeline run\` does locally.`,
    'The job fails when a step fails (a gate included); the gates\' JUnit and Markdown reports are kept',
    'as an artifact, shown in the job summary and as the "Lathe gates" check.',
    'Data that the pipeline imports must be in the repository (a step with "file"): the bytes of versions',
    'imported elsewhere live in .lathe/objects, which git does not carry. For the same reason a gate',
    'against a champion registered on another machine fails here, saying its stored bytes are missing,',
    'and what this job registers is not pushed back: moving stored bytes between machines is not built yet.',
    'Lathe is installed from the workspace\'s package.json and package-lock.json (npm ci) and run from',
    'node_modules/.bin: the npm package named "lathe" is another project.',
  ]);
}
