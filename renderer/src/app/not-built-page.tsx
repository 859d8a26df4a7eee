import { Icon } from '../components/icon.tsx';
import type { Area } from './areas.ts';

/** An area that does not exist yet says so plainly: no sample charts, no made-up numbers. */
export function NotBuiltPage({ area }: { area: Area }) {
  return (
    <main className="not-built" aria-labelledby="not-built-title">
      <div className="not-built__card">
        <span className="not-built__icon">
          <Icon name={area.icon} size={22} />
        </span>
        <h1 id="not-built-title" className="not-built__title">
          {area.label}
        </h1>
        <p className="not-built__purpose">{area.purpose}</p>
        <p className="not-built__status">This area is not built yet.</p>
        <a className="button" href="#/datasets">
          Go to Datasets
        </a>
      </div>
    </main>
  );
}
