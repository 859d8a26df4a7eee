import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LatheError } from '../../../../shared/contract/result.ts';
import { Icon } from '../../components/icon.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';

const PLACEHOLDER = "metrics.val_accuracy > 0.9 AND params.model = 'mlp'";
const SYNTAX_HELP =
  "MLflow's search syntax, with OR and parentheses: metrics.<key> and attributes.start_time compare numbers (= != < <= > >=); params.<key>, tags.<key>, attributes.status and attributes.run_name compare quoted text (= != LIKE ILIKE). Press Enter to apply.";

/**
 * Where main says the filter went wrong: the text around that character, with the word that
 * starts there marked (or the one character, or a space at the end when something is missing).
 */
export function locatedProblem(filter: string, error: LatheError): { before: string; at: string; after: string; problem: string } | null {
  const column = error.location?.column;
  if (column === undefined) return null;
  const index = Math.min(Math.max(0, column - 1), filter.length);
  const word = /^[^\s()]+/.exec(filter.slice(index))?.[0] ?? filter.slice(index, index + 1);
  const end = index + word.length;
  const from = Math.max(0, index - 70);
  const to = Math.min(filter.length, end + 50);
  // main's message: "Invalid filter at character 14: expected …; found …." then the text and a caret.
  const problem = (error.message.split('\n')[0] ?? error.message).replace(/^Invalid filter at character \d+:\s*/, '');
  return {
    before: `${from > 0 ? '…' : ''}${filter.slice(from, index)}`,
    at: word || ' ',
    after: `${filter.slice(end, to)}${to < filter.length ? '…' : ''}`,
    problem: problem.charAt(0).toUpperCase() + problem.slice(1),
  };
}

/** The runs filter, in MLflow's syntax; main reads it, and says where it cannot. */
export function FilterBox() {
  const { experimentCommands } = useServices();
  const { applied, error, loading } = useLathe(useShallow((state) => ({ applied: state.runsQuery.filter, error: state.filterError, loading: state.runsStatus === 'loading' })));
  const [text, setText] = useState(applied);
  const [shown, setShown] = useState(applied);
  const errorId = useId();
  // A filter applied elsewhere (a workspace opened) shows here (React's "adjust state on a prop change").
  if (shown !== applied) {
    setShown(applied);
    setText(applied);
  }
  const located = error ? locatedProblem(applied, error) : null;

  return (
    <form
      className="filter-box"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        void experimentCommands.runs.filterApplied(text);
      }}
    >
      <div className={error ? 'filter-box__field filter-box__field--invalid' : 'filter-box__field'}>
        <Icon name="search" size={14} />
        <input
          className="filter-box__input"
          type="text"
          aria-label="Filter runs"
          title={SYNTAX_HELP}
          placeholder={PLACEHOLDER}
          spellCheck={false}
          autoComplete="off"
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => setText(event.target.value)}
        />
        {loading ? <span className="spinner filter-box__busy" aria-label="Searching" /> : null}
        {text !== '' ? (
          <button
            type="button"
            className="icon-button"
            aria-label="Clear the filter"
            title="Clear the filter"
            onClick={() => {
              setText('');
              void experimentCommands.runs.filterApplied('');
            }}
          >
            <Icon name="close" size={13} />
          </button>
        ) : null}
      </div>
      {error ? (
        <div className="filter-box__error" id={errorId} role="alert">
          {located ? (
            <>
              <code className="filter-box__where" aria-label={`The filter, at character ${error.location?.column}`}>
                {located.before}
                <mark className="filter-box__mark">{located.at}</mark>
                {located.after}
              </code>
              <span>
                Character {error.location?.column}: {located.problem}
              </span>
            </>
          ) : (
            <span>{error.message}</span>
          )}
        </div>
      ) : null}
    </form>
  );
}
