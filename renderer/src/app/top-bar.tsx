import { Icon } from '../components/icon.tsx';
import { useLathe } from './services-context.tsx';
import { WorkspaceMenu } from '../features/workspace/workspace-menu.tsx';
import { selectWorkspacePath } from '../features/workspace/selectors.ts';

/** The window's top bar: which workspace this is (and a menu to change it), and the link to main. */
export function TopBar() {
  const path = useLathe(selectWorkspacePath);
  const connection = useLathe((state) => state.connection);
  return (
    <header className="top-bar">
      <div className="top-bar__brand" aria-hidden="true">
        <svg width="18" height="18" viewBox="0 0 24 24" className="top-bar__logo">
          <rect x="2" y="2" width="20" height="20" rx="6" fill="currentColor" />
          <path d="M8 6.5v11h8" stroke="var(--bg)" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" fill="none" />
        </svg>
      </div>
      <WorkspaceMenu />
      {path ? (
        <span className="top-bar__path" title={path}>
          {path}
        </span>
      ) : null}
      <div className="top-bar__spacer" />
      {connection === 'reconnecting' ? (
        <span className="top-bar__connection" role="status">
          <Icon name="wifiOff" size={14} />
          Lost the link to Lathe; reconnecting…
        </span>
      ) : null}
    </header>
  );
}
