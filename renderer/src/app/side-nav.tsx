import { Icon } from '../components/icon.tsx';
import { useLathe } from './services-context.tsx';
import { areas, isBuilt, type Area } from './areas.ts';

/** Every area of Lathe; the one on screen is marked as the current page. */
export function SideNav({ current }: { current: Area }) {
  const appInfo = useLathe((state) => state.appInfo);
  return (
    <nav className="side-nav" aria-label="Areas">
      <ul className="side-nav__list">
        {areas.map((area) => (
          <li key={area.id}>
            <a className="side-nav__link" href={`#/${area.id}`} aria-current={area.id === current.id ? 'page' : undefined}>
              <Icon name={area.icon} size={16} />
              <span>{area.label}</span>
              {isBuilt(area) ? null : <span className="side-nav__soon">Not built</span>}
            </a>
          </li>
        ))}
      </ul>
      {appInfo ? (
        <p className="side-nav__footer">
          Lathe {appInfo.version} · {appInfo.frontDoor === 'electron' ? 'desktop' : 'lathe serve'}
        </p>
      ) : null}
    </nav>
  );
}
