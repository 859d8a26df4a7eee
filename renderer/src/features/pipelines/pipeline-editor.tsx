import { useRef, type UIEvent } from 'react';
import type { PipelineProblem } from '../../../../shared/contract/pipelines.ts';
import { Icon } from '../../components/icon.tsx';

/**
 * lathe.pipeline.json as text, with line numbers, a mark on each line that has a problem, and
 * every problem listed below with its line and JSON path: clicking one selects that line.
 */
export function PipelineEditor({ text, problems, onChange }: { text: string; problems: readonly PipelineProblem[]; onChange: (text: string) => void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = text.split('\n').length;
  const marked = new Map<number, PipelineProblem['severity']>();
  for (const problem of problems) if (marked.get(problem.line) !== 'error') marked.set(problem.line, problem.severity);

  const syncScroll = (event: UIEvent<HTMLTextAreaElement>) => {
    if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
  };

  const goTo = (problem: PipelineProblem) => {
    const textarea = area.current;
    if (!textarea) return;
    const all = text.split('\n');
    const start = all.slice(0, problem.line - 1).reduce((offset, line) => offset + line.length + 1, 0);
    const end = start + (all[problem.line - 1]?.length ?? 0);
    textarea.focus();
    textarea.setSelectionRange(start + Math.max(0, problem.column - 1), end);
    const lineHeight = textarea.scrollHeight / Math.max(1, lines);
    textarea.scrollTop = Math.max(0, (problem.line - 4) * lineHeight);
  };

  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return (
    <div className="pipeline-editor">
      <div className="pipeline-editor__frame">
        <div className="pipeline-editor__gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, index) => (
            <div key={index} className="pipeline-editor__line-number" data-problem={marked.get(index + 1)}>
              {index + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          className="pipeline-editor__text"
          aria-label="lathe.pipeline.json"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          wrap="off"
          value={text}
          onChange={(event) => onChange(event.target.value)}
          onScroll={syncScroll}
          onKeyDown={(event) => {
            // Tab indents (two spaces, as the file is written) instead of leaving the editor.
            if (event.key !== 'Tab' || event.shiftKey || event.altKey || event.metaKey || event.ctrlKey) return;
            event.preventDefault();
            const target = event.currentTarget;
            const { selectionStart, selectionEnd } = target;
            onChange(`${text.slice(0, selectionStart)}  ${text.slice(selectionEnd)}`);
            requestAnimationFrame(() => target.setSelectionRange(selectionStart + 2, selectionStart + 2));
          }}
        />
      </div>
      <div className="pipeline-problems" aria-live="polite">
        {problems.length === 0 ? (
          <p className="pipeline-problems__ok">
            <Icon name="success" size={14} /> No problems: the pipeline can run.
          </p>
        ) : (
          <>
            <p className="pipeline-problems__count">
              {errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : 'No errors'}
              {problems.length > errors ? ` · ${problems.length - errors} warning${problems.length - errors === 1 ? '' : 's'}` : ''}
            </p>
            <ul className="pipeline-problems__list" aria-label="Problems">
              {problems.map((problem, index) => (
                <li key={`${problem.path}-${index}`}>
                  <button type="button" className="pipeline-problem" data-severity={problem.severity} onClick={() => goTo(problem)}>
                    <Icon name={problem.severity === 'error' ? 'alert' : 'info'} size={14} />
                    <span className="pipeline-problem__where">
                      line {problem.line}
                      {problem.path ? <code>{problem.path}</code> : null}
                    </span>
                    <span className="pipeline-problem__message">{problem.message}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
