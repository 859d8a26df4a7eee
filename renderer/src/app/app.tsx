import { useEffect } from 'react';
import { useLathe } from '../state/use-lathe.ts';
import { WorkspaceStart } from '../features/workspace/workspace-start.tsx';
import { WorkspaceDialog } from '../features/workspace/workspace-dialog.tsx';
import { DatasetsPage } from '../features/datasets/datasets-page.tsx';
import { FileDrop } from '../features/datasets/file-drop.tsx';
import { ImportToasts } from '../features/datasets/import-toasts.tsx';
import { NotBuiltPage } from './not-built-page.tsx';
import { SideNav } from './side-nav.tsx';
import { TopBar } from './top-bar.tsx';
import { useArea } from './use-area.ts';
import { connectToMain, workspaceCommands } from './services.ts';
import { workspaceFromHref } from '../features/workspace/workspace-url.ts';

export function App() {
  useEffect(() => {
    const disconnect = connectToMain();
    void workspaceCommands.openFirstWorkspace(workspaceFromHref(window.location.href));
    return disconnect;
  }, []);

  const isOpen = useLathe((state) => state.workspaceStatus.kind === 'open');
  const workspaceName = useLathe((state) => state.workspace?.name ?? null);
  const area = useArea();

  useEffect(() => {
    document.title = [area.label, workspaceName, 'Lathe'].filter(Boolean).join(' · ');
  }, [area, workspaceName]);

  return (
    <>
      {isOpen ? (
        <FileDrop>
          <div className="shell">
            <TopBar />
            <SideNav current={area} />
            <div className="shell__content">{area.built ? <DatasetsPage /> : <NotBuiltPage area={area} />}</div>
          </div>
          <ImportToasts />
        </FileDrop>
      ) : (
        <WorkspaceStart />
      )}
      <WorkspaceDialog />
    </>
  );
}
