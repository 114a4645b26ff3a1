/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// Deterministic build: content-hashed file names, no timestamps, no
// source maps; the same sources always produce byte-identical output.
export default defineConfig({
  base: '/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/graphql': { target: 'http://localhost:8080', ws: true }, // websocket: live updates
      '/api': 'http://localhost:8080',
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
