import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
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

/**
 * The build's static import graph, recorded as modules are parsed; chunking runs after parsing,
 * so a group's `test` can ask which modules a route loads before it renders (dynamic imports,
 * such as the editor and the other routes, are not followed).
 */
function staticGraph() {
  const imports = new Map<string, readonly string[]>()
  const closure = (roots: readonly string[]) => {
    const seen = new Set<string>()
    const visit = (id: string) => {
      if (seen.has(id)) return
      seen.add(id)
      for (const dep of imports.get(id) ?? []) visit(dep)
    }
    roots.forEach(visit)
    return seen
  }
  const plugin: Plugin = {
    name: 'stip-static-graph',
    apply: 'build',
    moduleParsed(info) {
      imports.set(info.id, info.importedIds)
    },
  }
  /**
   * Our own modules the `routes` load and neither the entry nor the `others` routes do: one chunk
   * instead of many, and the others do not fetch it for a module or two they share with it. The
   * routes stay chunks of their own (the manifest keeps naming them; bundle.ts reads it).
   */
  const routeOnly = (entry: string, routes: readonly string[], others: readonly string[]) => {
    let only: Set<string> | null = null
    return (id: string) => {
      if (!only) {
        const elsewhere = closure([entry, ...others])
        only = new Set(
          [...closure(routes)].filter(
            (m) => !routes.includes(m) && !elsewhere.has(m) && !/node_modules/.test(m),
          ),
        )
      }
      return only.has(id)
    }
  }
  /** Modules the `roots` load statically (built on first use, after parsing). */
  const reachedFrom = (roots: readonly string[]) => {
    let reached: Set<string> | null = null
    return (id: string) => (reached ??= closure(roots)).has(id)
  }
  return { plugin, routeOnly, reachedFrom }
}
const graph = staticGraph()
const client = (file: string) => path.join(repo, 'client', file)
/** What a participant loads from the join page to a working board (tests/bench/bundle.ts sizes it). */
const BOARD_PATH = ['main.tsx', 'app/Join.tsx', 'app/BoardRoute.tsx', 'board/Board.tsx'].map(client)
const onBoardPath = graph.reachedFrom(BOARD_PATH)
/** What every page loads: the entry's own static imports. */
const onEntryPath = graph.reachedFrom([client('main.tsx')])
const yjsModules = inModules(['yjs', 'lib0', 'y-protocols', 'y-websocket', 'y-indexeddb'])

export default defineConfig({
  root: path.join(repo, 'client'),
  plugins: [react(), graph.plugin],
  resolve: {
    // yjs's console warnings without lib0's styled-logging machinery (see the module)
    alias: [{ find: /^lib0\/logging$/, replacement: client('lib/yjs-logging.ts') }],
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
    // every browser the build targets (baseline widely available) has <link rel="modulepreload">
    modulePreload: { polyfill: false },
    // tests/bench/bundle.ts reads it to size the join -> board path
    manifest: true,
    rolldownOptions: {
      output: {
        // Priorities matter (STACK-PROBE E14): without them yjs/lib0 end up in the editor chunk.
        codeSplitting: {
          groups: [
            {
              name: 'yjs',
              // lib0 modules only the editor's y-tiptap uses (sha256, dom, schema) go with the editor
              test: (id: string) => yjsModules.test(id) && onBoardPath(id),
              priority: 30,
            },
            { name: 'react', test: inModules(['react', 'react-dom', 'scheduler']), priority: 20 },
            // The participant's path (join -> board) fetched 19 small chunks; in one it is ~8 KiB
            // smaller gzip. Other screens that share a module of it load this chunk too.
            {
              name: 'board',
              test: graph.routeOnly(
                client('main.tsx'),
                [client('app/BoardRoute.tsx'), client('board/Board.tsx')],
                [client('app/Home.tsx')],
              ),
              priority: 15,
              // its dependencies in the entry stay there (the home page does not load the board)
              includeDependenciesRecursively: false,
            },
            {
              // every page's own modules and what the lazy screens share with them (i18n, schemas,
              // zod, router, api): one chunk, not a fragment per set of lazy chunks that uses some
              name: 'shared',
              test: (id: string) =>
                !BOARD_PATH.includes(id) &&
                (onEntryPath(id) || (onBoardPath(id) && !/node_modules/.test(id))),
              priority: 12,
            },
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
