import type { ParseArgsConfig } from 'node:util';
import type { FrontDoorName, LatheCore } from '../core/lathe-core.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliContext {
  /** Parsed flags of the command, plus the global ones. */
  values: Record<string, unknown>;
  positionals: string[];
  json: boolean;
  cwd: string;
  /** The core, made on first use; `serve` asks for one that answers as the browser front door. */
  core: (frontDoor?: FrontDoorName) => LatheCore;
  /** The workspace named by --workspace, else the one enclosing the current folder. */
  workspace: () => Promise<string>;
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface CliCommand {
  /** Words that select it: ['data', 'import']. */
  path: readonly string[];
  summary: string;
  usage: string;
  /** Longer help: what it does, examples. */
  details?: string;
  options: OptionSpec;
  /** Returns what `--json` prints; `human` is what a person reads. */
  run(context: CliContext): Promise<{ json: unknown; human: string } | 'keep-running'>;
}
