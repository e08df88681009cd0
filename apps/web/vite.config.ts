import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const API_TARGET = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    // Development: the API runs apart (npm run demo, or the api workspace); same-origin calls go
    // through this proxy, so the session cookie and CSRF header work as in production.
    proxy: {
      '/v1': API_TARGET,
      '/healthz': API_TARGET,
      '/readyz': API_TARGET,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // dist/.vite/manifest.json: scripts/check-bundle.mjs reads it to size the initial JavaScript.
    manifest: true,
    // The report page's single chunk (Recharts, React and the contracts' schemas, about 1 MB) is
    // read from disk by the worker, never downloaded; the app's own chunks are far below this and
    // its initial JavaScript has a budget of its own (scripts/check-bundle.mjs).
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      input: {
        // The web app.
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        // The leadership PDF report page: not served to browsers; the worker loads it from
        // dist/ (REPORT_DIST_DIR) into headless Chromium with the report data and prints it.
        report: fileURLToPath(new URL('./report.html', import.meta.url)),
      },
    },
  },
});
