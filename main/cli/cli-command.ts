import type { ParseArgsConfig } from 'node:util';
import type { FrontDoorName, LatheCore } from '../core/lathe-core.ts';
import type { LatheFiles } from './lathe-files.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliContext {
  /** Parsed flags of the command, plus the global ones. */
  values: Record<string, unknown>;
  positionals: string[];
  json: boolean;
  cwd: string;
  /** Where Lathe's own files are (the built UI, the sample data). */
  files: LatheFiles;
  /**
   * The core, loaded and made on first use (commands that never call it, and `--help`, never load
   * it); `serve` asks for one that answers as the browser front door.
   */
  core: (frontDoor?: FrontDoorName) => Promise<LatheCore>;
  /** The workspace named by --workspace, else the one enclosing the current folder. */
  workspace: () => Promise<string>;
  /**
   * Print to stdout / stderr. Control and bidi characters come out as visible escapes; for text
   * from data or a person in a one-line place (a name in a sentence), use `visible` from
   * terminal-text.ts too, so a line break in it cannot forge a line of output.
   */
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * One command; cli-app.ts lists them all. A command file is loaded for every `lathe` start, so it
 * imports the core's modules and the contract's schemas inside `run` (`await import(…)`, or through
 * `callCore`), never at the top: `npm run build` refuses a bundle whose start loads them.
 */
export interface CliCommand {
  /** Words that select it: ['data', 'import']. */
  path: readonly string[];
  summary: string;
  usage: string;
  /** Longer help: what it does, examples. */
  details?: string;
  options: OptionSpec;
  /** Returns what `--json` prints; `human` is what a person reads. */
  run(context: CliContext): Promise<CommandOutput | 'keep-running'>;
}

/** What a command prints; `exitCode` 1 says "done, and what it found is a failure" (verify); `lathe run` passes on its script's. */
export interface CommandOutput {
  json: unknown;
  human: string;
  exitCode?: number;
}
