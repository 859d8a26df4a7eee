import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** This folder, however Vite is started (`vite build --config renderer/vite.config.ts` from the repo root). */
const root = import.meta.dirname;

/**
 * index.html carries the strict Content-Security-Policy the built UI runs under (no inline
 * script or style). Only the dev server relaxes it, for React Refresh's inline preamble and
 * Vite's HMR socket; a build is never served with the relaxed policy.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'lathe:relax-csp-for-dev-server',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: wss:");
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), relaxCspForDevServer()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2024',
    // Nothing inline: the polyfill would be inline script, and assets become files, not data: URLs.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
});
