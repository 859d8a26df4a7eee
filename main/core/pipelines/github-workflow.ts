import { yamlText, type YamlValue } from './yaml-text.ts';

/**
 * `lathe pipeline export --github`: a GitHub Actions workflow that runs the workspace's pipeline
 * on a push (and by hand), exactly as `lathe pipeline run` does on a laptop, then keeps the
 * gates' reports — JUnit XML as a check with a test per gate check, Markdown in the job summary,
 * both (and the run record) as an artifact. The job fails when the pipeline does.
 *
 * The bytes git does not carry travel through the workspace's byte remote (main/core/remote):
 * the job pulls what HEAD names before the pipeline (so a gate against a champion registered on
 * another machine has its bytes), and on the default branch pushes the bytes of what it
 * registered, then the registry's commits — bytes first, so whoever pulls the commits finds them.
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

/** Only on the repository's default branch does a run publish what it registered. */
const ON_DEFAULT_BRANCH = "${{ success() && github.ref == format('refs/heads/{0}', github.event.repository.default_branch) }}";

/** An HTTP remote's token (`lathe serve --remote-dir`), given only to the steps that move bytes, not to npm's install scripts. */
const REMOTE_TOKEN = { LATHE_REMOTE_TOKEN: '${{ secrets.LATHE_REMOTE_TOKEN }}' };

/** The job has a remote when LATHE_REMOTE is set or the workspace lists one; without, it says so and carries on. */
const IF_REMOTE = (command: string) =>
  `if [ -n "$LATHE_REMOTE" ] || [ -f lathe.remotes.json ]; then\n  ${LATHE} ${command}\nelse\n  echo "No byte remote (set LATHE_REMOTE, or lathe remote add): ${command.split(' ').slice(0, 2).join(' ')} skipped."\nfi\n`;

export function githubWorkflow(options: WorkflowOptions): string {
  const workflow: YamlValue = {
    name: 'Lathe pipeline',
    on: {
      push: { branches: [...options.branches] },
      workflow_dispatch: {},
    },
    // contents: write lets the job push the registry's commits back (GITHUB_TOKEN's pushes start no new run).
    permissions: { contents: 'write', checks: 'write' },
    concurrency: { group: 'lathe-pipeline-${{ github.ref }}', 'cancel-in-progress': false },
    jobs: {
      pipeline: {
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 120,
        env: {
          // A remote name from lathe.remotes.json, a folder (a self-hosted runner's share) or a lathe serve's address; empty: the default remote.
          LATHE_REMOTE: '${{ vars.LATHE_REMOTE || secrets.LATHE_REMOTE }}',
          // Commits the pipeline makes (registrations, gate reports) are signed by the Actions bot.
          GIT_AUTHOR_NAME: 'github-actions[bot]',
          GIT_AUTHOR_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
        },
        steps: [
          // The whole history: dataset versions and the registry are commits, which a shallow clone would cut.
          { name: 'Check out the workspace', uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
          { name: 'Set up Node', uses: 'actions/setup-node@v4', with: { 'node-version': options.nodeVersion, cache: 'npm' } },
          { name: 'Install Lathe (from package.json)', run: 'npm ci' },
          { name: 'Pull the stored data and models the workspace names', env: REMOTE_TOKEN, run: IF_REMOTE('data pull') },
          {
            name: 'Run the pipeline',
            run: `${LATHE} pipeline run --json --reports ${REPORTS_DIR} > ${REPORTS_DIR}-run.json`,
          },
          { name: 'Push the bytes of what the pipeline registered', if: ON_DEFAULT_BRANCH, env: REMOTE_TOKEN, run: IF_REMOTE('data push') },
          {
            name: 'Push the registry commits',
            if: ON_DEFAULT_BRANCH,
            run: 'git config user.name "$GIT_AUTHOR_NAME"\ngit config user.email "$GIT_AUTHOR_EMAIL"\ngit push origin "HEAD:$GITHUB_REF_NAME"\n',
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
    'Stored bytes (dataset versions, registered models) are not in git: the job pulls them from the byte',
    'remote before the pipeline (LATHE_REMOTE, a repository variable or secret naming a remote or a folder,',
    'else the default in lathe.remotes.json), and on the default branch pushes the bytes of what it',
    'registered, then its commits (contents: write). Without a remote, both steps say so and are skipped.',
    'Lathe is installed from the workspace\'s package.json and package-lock.json (npm ci) and run from',
    'node_modules/.bin: the npm package named "lathe" is another project.',
  ]);
}
