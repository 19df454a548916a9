import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The admin talks to the API through one origin (/api is proxied), so the session cookie
// set by the API is first-party in dev (vite) and when a build is served by `vite preview`.
const apiProxy = {
  '/api': { target: process.env.API_URL ?? 'http://127.0.0.1:3000', changeOrigin: false },
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true, proxy: apiProxy },
  preview: { port: 5173, strictPort: true, proxy: apiProxy },
  build: {
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack)[\\/]/ },
            { name: 'mantine', test: /node_modules[\\/]@mantine[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    // Component tests render Mantine in jsdom; on a busy 2-core CI machine that can take seconds.
    testTimeout: 30_000,
  },
});
