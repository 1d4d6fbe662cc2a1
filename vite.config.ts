import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

const repo = path.dirname(fileURLToPath(import.meta.url))
/** The Stip server in development (npm run dev runs it next to vite). */
const API_TARGET = process.env.STIP_API ?? 'http://localhost:8080'

const proxy = {
  '/api': { target: API_TARGET, changeOrigin: false },
  '/ws': { target: API_TARGET, ws: true, changeOrigin: false },
}

const inModules = (names: string[]) =>
  new RegExp(`[\\\\/]node_modules[\\\\/](${names.join('|')})[\\\\/]`)

export default defineConfig({
  root: path.join(repo, 'client'),
  plugins: [react()],
  resolve: {
    dedupe: [
      'yjs',
      'lib0',
      'y-protocols',
      '@tiptap/y-tiptap',
      'prosemirror-model',
      'prosemirror-state',
      'prosemirror-view',
    ],
  },
  build: {
    outDir: path.join(repo, 'dist'),
    emptyOutDir: true,
    // tests/bench/bundle.ts reads it to size the join -> board path
    manifest: true,
    rolldownOptions: {
      output: {
        // Priorities matter (STACK-PROBE E14): without them yjs/lib0 end up in the editor chunk.
        codeSplitting: {
          groups: [
            {
              name: 'yjs',
              test: inModules(['yjs', 'lib0', 'y-protocols', 'y-websocket', 'y-indexeddb']),
              priority: 30,
            },
            { name: 'react', test: inModules(['react', 'react-dom', 'scheduler']), priority: 20 },
            {
              name: 'editor',
              test: inModules([
                '@tiptap',
                'prosemirror-[a-z-]+',
                'orderedmap',
                'rope-sequence',
                'w3c-keyname',
                'linkifyjs',
                'use-sync-external-store',
                'fast-equals',
                '@floating-ui',
              ]),
              priority: 10,
            },
          ],
        },
      },
    },
  },
  server: { proxy },
  preview: { proxy },
  test: {
    root: repo,
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
