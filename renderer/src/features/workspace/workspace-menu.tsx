import { useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon, type IconName } from '../../components/icon.tsx';
import { useLathe, useServices } from '../../app/services-context.tsx';
import { applyWorkspacePath, chooseWorkspace } from './choose-workspace.ts';
import { selectOtherRecentWorkspaces } from './selectors.ts';
import { StoredDataDialog } from './stored-data-dialog.tsx';

/** The workspace switcher in the top bar: a menu button with the usual keyboard behaviour. */
export function WorkspaceMenu() {
  const services = useServices();
  const { workspaceCommands } = services;
  const { name, path } = useLathe(useShallow((state) => ({ name: state.workspace?.name ?? 'Workspace', path: state.workspace?.path ?? '' })));
  const recent = useLathe(selectOtherRecentWorkspaces);
  const [open, setOpen] = useState(false);
  const [storedDataOpen, setStoredDataOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    window.addEventListener('pointerdown', onPointerDown);
    return () => window.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  function close(refocus = true) {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }

  function onMenuKeyDown(event: KeyboardEvent) {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const focusAt = (i: number) => items[(i + items.length) % items.length]?.focus();
    if (event.key === 'ArrowDown') focusAt(index + 1);
    else if (event.key === 'ArrowUp') focusAt(index - 1);
    else if (event.key === 'Home') focusAt(0);
    else if (event.key === 'End') focusAt(items.length - 1);
    else if (event.key === 'Escape') close();
    else if (event.key === 'Tab') close(false);
    else return;
    if (event.key !== 'Tab') event.preventDefault();
  }

  function run(action: () => void) {
    close(false);
    action();
  }

  return (
    <div className="workspace-menu">
      <button
        ref={buttonRef}
        type="button"
        className="workspace-menu__button"
        aria-label={`Workspace: ${name}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        title={path}
        onClick={() => setOpen((value) => !value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <span className="workspace-menu__mark" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="workspace-menu__name">{name}</span>
        <Icon name="chevronDown" size={14} />
      </button>
      {open ? (
        <div ref={menuRef} id={menuId} className="menu workspace-menu__menu" role="menu" aria-label="Workspace" onKeyDown={onMenuKeyDown}>
          <MenuItem icon="folder" label="Open workspace…" onSelect={() => run(() => void chooseWorkspace(services, 'open'))} />
          <MenuItem icon="folderPlus" label="New workspace…" onSelect={() => run(() => void chooseWorkspace(services, 'create'))} />
          <MenuItem icon="newWindow" label="Open in new window…" onSelect={() => run(() => void chooseWorkspace(services, 'new-window'))} />
          <MenuItem icon="newWindow" label="Duplicate this window" onSelect={() => run(() => void workspaceCommands.openInNewWindow(path))} />
          {path ? <MenuItem icon="check" label="Stored data…" sub="Check bytes, remove unused ones" onSelect={() => run(() => setStoredDataOpen(true))} /> : null}
          <div className="menu__separator" role="separator" />
          <div className="menu__label" role="presentation">
            Recent
          </div>
          {recent.length === 0 ? (
            <div className="menu__empty" role="presentation">
              Workspaces you open appear here.
            </div>
          ) : (
            recent.map((workspace) => (
              <MenuItem
                key={workspace.path}
                icon="history"
                label={workspace.name}
                sub={workspace.path}
                title={`${workspace.path}\n${navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl'}-click to open in a new window`}
                onSelect={(event) =>
                  run(() => {
                    if (event && (event.metaKey || event.ctrlKey)) void workspaceCommands.openInNewWindow(workspace.path);
                    else void applyWorkspacePath(services, 'open', workspace.path);
                  })
                }
              />
            ))
          )}
        </div>
      ) : null}
      {storedDataOpen && path ? <StoredDataDialog workspace={path} onClose={() => setStoredDataOpen(false)} /> : null}
    </div>
  );
}

function MenuItem({ icon, label, sub, title, onSelect }: { icon: IconName; label: string; sub?: string; title?: string; onSelect: (event?: MouseEvent) => void }) {
  return (
    <button type="button" role="menuitem" tabIndex={-1} className="menu__item" title={title} onClick={(event) => onSelect(event)}>
      <Icon name={icon} size={15} />
      <span className="menu__item-text">
        <span>{label}</span>
        {sub ? <span className="menu__item-sub">{sub}</span> : null}
      </span>
    </button>
  );
}
