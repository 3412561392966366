import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The web dashboard's build (src/web → src/web/dist). The server builds it on start when the
 * output is missing or older than the sources (src/app/web/build.ts), so `npm start` needs no
 * separate step; `npx vite` runs a dev server that forwards /api to a running Cordon.
 */
export default defineConfig({
  root: path.join(here, 'src/web'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.join(here, 'src/web/dist'),
    emptyOutDir: true,
    // ECharts alone is ~1 MB before gzip; one chunk for it keeps the app chunk small and cacheable.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // The build runs inside the server's start; its timing advice is noise in the server log.
      checks: { bundlerTimings: false },
      output: {
        codeSplitting: { groups: [{ name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ }] },
      },
    },
  },
  server: {
    proxy: { '/api': { target: process.env.CORDON_API ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
