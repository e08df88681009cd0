import react from '@vitejs/plugin-react';
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
    chunkSizeWarningLimit: 600,
  },
});
