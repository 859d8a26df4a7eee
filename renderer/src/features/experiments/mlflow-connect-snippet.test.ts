import { describe, expect, it } from 'vitest';
import { exportLines, MASKED_TOKEN, pythonSnippet, runsLandElsewhere, shellQuote } from './mlflow-connect-snippet.ts';

const connection = { uri: 'http://127.0.0.1:43117', token: 'tok_3xAMPLE-abc_DEF' };

describe('the lines "Log from your code" copies', () => {
  it('exports the tracking URI and token as two shell lines', () => {
    expect(exportLines(connection)).toBe('export MLFLOW_TRACKING_URI=http://127.0.0.1:43117\nexport MLFLOW_TRACKING_TOKEN=tok_3xAMPLE-abc_DEF');
  });

  it('masks the token until it is shown, keeping the URI', () => {
    const masked = exportLines(connection, { revealToken: false });
    expect(masked).toBe(`export MLFLOW_TRACKING_URI=http://127.0.0.1:43117\nexport MLFLOW_TRACKING_TOKEN=${MASKED_TOKEN}`);
    expect(masked).not.toContain(connection.token);
  });

  it('is a five-line Python script that logs one run into the experiment shown', () => {
    expect(pythonSnippet('penguins')).toBe(
      [
        'import mlflow',
        'mlflow.set_experiment("penguins")',
        'with mlflow.start_run(run_name="from-my-code"):',
        '    mlflow.log_param("learning_rate", 0.01)',
        '    mlflow.log_metric("loss", 0.42)',
      ].join('\n'),
    );
  });

  it('names an experiment when none is shown', () => {
    expect(pythonSnippet('  ')).toContain('mlflow.set_experiment("my-experiment")');
  });

  it('keeps a hostile experiment name inside its Python string', () => {
    const line = pythonSnippet('x")\nimport os; os.system("rm -rf ~')!.split('\n')[1];
    expect(line).toBe('mlflow.set_experiment("x\\")\\nimport os; os.system(\\"rm -rf ~")');
    expect(pythonSnippet('x")\nimport os').split('\n')).toHaveLength(5);
  });

  it('quotes a value the shell would split or expand', () => {
    expect(shellQuote('http://lab-box.local:7272')).toBe('http://lab-box.local:7272');
    expect(shellQuote('a b$(whoami)')).toBe("'a b$(whoami)'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });
});

describe('where the runs land', () => {
  it('names the other workspace when the endpoint logs somewhere else than the one on screen', () => {
    expect(runsLandElsewhere('/home/ana/ml/penguins', '/home/ana/ml/penguins')).toBeNull();
    expect(runsLandElsewhere('/home/ana/ml/iris', '/home/ana/ml/penguins')).toBe('/home/ana/ml/iris');
    expect(runsLandElsewhere(null, '/home/ana/ml/penguins')).toBeNull();
    expect(runsLandElsewhere('/home/ana/ml/iris', null)).toBeNull();
  });
});
