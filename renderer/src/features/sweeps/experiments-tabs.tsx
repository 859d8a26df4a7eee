import { sweepsHash } from './sweeps-route.ts';
import './experiments-tabs.css';

/** Runs | Sweeps, at the top of the Experiments area's lists. */
export function ExperimentsTabs({ current }: { current: 'runs' | 'sweeps' }) {
  return (
    <nav className="experiments-tabs" aria-label="Experiments">
      <a href="#/experiments" aria-current={current === 'runs' ? 'page' : undefined}>
        Runs
      </a>
      <a href={sweepsHash()} aria-current={current === 'sweeps' ? 'page' : undefined}>
        Sweeps
      </a>
    </nav>
  );
}
