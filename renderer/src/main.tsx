import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/tokens.css';
import './styles/base.css';
import './styles/controls.css';
import './styles/feedback.css';
import './styles/overlays.css';
import './styles/navigation-and-tables.css';
import './styles/shell.css';
// After the design system, so feature styles (imported by their components) build on it.
import { App } from './app/app.tsx';
import { createServices } from './app/services.ts';
import { ServicesProvider } from './app/services-context.tsx';
import { api } from './lib/api.ts';
import { createUiMemory } from './lib/ui-memory.ts';
import { createLatheStore } from './state/store.ts';

// The window's composition root: one API, one store, one memory; features get them from context.
const services = createServices({ api, store: createLatheStore(), memory: createUiMemory() });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ServicesProvider services={services}>
      <App />
    </ServicesProvider>
  </StrictMode>,
);
