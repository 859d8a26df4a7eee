/**
 * The text "Log from your code" shows and copies: two shell `export` lines and a five-line
 * Python script. Pure functions, so what a user pastes is tested word for word.
 */

export interface MlflowConnection {
  uri: string;
  token: string;
}

/** What stands for the token until the user asks to see it. */
export const MASKED_TOKEN = '••••••••••••';

/** `export MLFLOW_TRACKING_URI=…` and `export MLFLOW_TRACKING_TOKEN=…`, each value shell-quoted. */
export function exportLines(connection: MlflowConnection, { revealToken = true }: { revealToken?: boolean } = {}): string {
  return [
    `export MLFLOW_TRACKING_URI=${shellQuote(connection.uri)}`,
    `export MLFLOW_TRACKING_TOKEN=${revealToken ? shellQuote(connection.token) : MASKED_TOKEN}`,
  ].join('\n');
}

/** Logs one run with a parameter and a metric into `experiment` (MLflow makes it if it is new). */
export function pythonSnippet(experiment: string): string {
  return [
    'import mlflow',
    `mlflow.set_experiment(${pythonString(experiment.trim() || DEFAULT_EXPERIMENT)})`,
    'with mlflow.start_run(run_name="from-my-code"):',
    '    mlflow.log_param("learning_rate", 0.01)',
    '    mlflow.log_metric("loss", 0.42)',
  ].join('\n');
}

export const DEFAULT_EXPERIMENT = 'my-experiment';

/** A POSIX shell word for any text: single quotes, a quote inside written as '\''. Plain URL-safe text stays bare. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A Python string literal: JSON's escapes (\", \\, \n, \uXXXX) all mean the same in Python. */
export function pythonString(text: string): string {
  return JSON.stringify(text);
}

/**
 * The workspace runs logged to the endpoint land in when it is not the one on screen (the
 * endpoint logs to the workspace Lathe opened last); null when they land here or it is not known.
 */
export function runsLandElsewhere(endpointWorkspace: string | null, shownWorkspace: string | null): string | null {
  if (endpointWorkspace === null || shownWorkspace === null) return null;
  return endpointWorkspace === shownWorkspace ? null : endpointWorkspace;
}
