import { callLathe, startAgentChild, stopAgentChild, type AgentChild, type LocalAgent } from './agents.ts';
import { test as latheTest } from './lathe-server.ts';

/**
 * One deploy target beside the test's `lathe serve` (a lighter load than agents.ts's two on a
 * busy machine): `lathe agent --port 0` with its own data folder inside the server's temp root,
 * trusting the workspace's signing key, stopped after the test.
 */
export const test = latheTest.extend<{ agent: LocalAgent }>({
  agent: async ({ lathe }, use, testInfo) => {
    const key = await callLathe<{ publicKey: string }>(lathe, 'keys:show', {});
    const started: AgentChild = await startAgentChild(lathe.root, 'edge-1', key.publicKey);
    try {
      await use(started.agent);
    } finally {
      await stopAgentChild(started.child);
      if (started.stderr().trim()) await testInfo.attach('lathe-agent-stderr', { body: started.stderr(), contentType: 'text/plain' });
    }
  },
});

export { callLathe, type LocalAgent } from './agents.ts';
export { expect, screenshotPath } from './lathe-server.ts';
