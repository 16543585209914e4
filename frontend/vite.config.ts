// Build, dev-server and test configuration of the employer-portal SPA.
import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// In `npm run dev` the API runs separately (portal-api serve, port 8080);
// everything that is not the SPA itself goes there.
const api = 'http://localhost:8080';

export default defineConfig({
  plugins: [preact()],
  server: {
    proxy: {
      '/api': api,
      '/.well-known': api,
      '/healthz': api,
    },
  },
  build: {
    target: 'es2020',
    // Never turn assets into inline data: URIs or <style> blocks: the CSP is
    // script-src 'self'; style-src 'self'.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
    // The only chunk above the default 500 kB is the password-strength word
    // lists, loaded on demand on three pages (never in the first load).
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
    // The app-start tests render the whole shell; on a loaded two-core
    // machine that can pass vitest's 5 s default without being wrong.
    testTimeout: 20000,
  },
});
