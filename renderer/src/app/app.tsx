import { useEffect } from 'react';
import { useLathe, useServices } from './services-context.tsx';
import { WorkspaceStart } from '../features/workspace/workspace-start.tsx';
import { WorkspaceDialog } from '../features/workspace/workspace-dialog.tsx';
import { FileDrop } from '../features/datasets/file-drop.tsx';
import { ImportToasts } from '../features/datasets/import-toasts.tsx';
import { AlertToasts } from '../features/monitoring/alert-toasts.tsx';
import { AreaPage } from './area-page.tsx';
import { SideNav } from './side-nav.tsx';
import { TopBar } from './top-bar.tsx';
import { useArea } from './use-area.ts';
import { workspaceFromHref } from '../features/workspace/workspace-url.ts';

export function App() {
  const { connectToMain, workspaceCommands } = useServices();
  useEffect(() => {
    const disconnect = connectToMain();
    void workspaceCommands.openFirstWorkspace(workspaceFromHref(window.location.href));
    return disconnect;
  }, [connectToMain, workspaceCommands]);

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
            <div className="shell__content">
              <AreaPage area={area} />
            </div>
          </div>
          <ImportToasts />
          <AlertToasts />
        </FileDrop>
      ) : (
        <WorkspaceStart />
      )}
      <WorkspaceDialog />
    </>
  );
}
