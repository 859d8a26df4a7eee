import { execFileSync, spawnSync } from 'node:child_process';

/**
 * A YAML parser that is not ours, to check what yaml-text.ts writes: PyYAML (Debian's
 * python3-yaml), where installed — the same reference-where-installed rule as the gates'
 * statistics against scipy. Tests that need it say so when they skip.
 */
export const pythonYamlAvailable = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;

/** Parse YAML with PyYAML's safe loader; the value comes back through JSON. */
export function parseYamlWithPython(text: string): unknown {
  const json = execFileSync('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: text, encoding: 'utf8' });
  return JSON.parse(json) as unknown;
}
