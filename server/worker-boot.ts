/** Starting a worker thread on a module of this server, from source or from a build. */
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * A worker thread does not inherit the TypeScript loader the server runs under (tsx: `node
 * --import tsx`, npm start's in-process register, vitest's own), so a .ts worker registers tsx
 * itself before importing its module.
 */
export function startModuleWorker(url: URL, options: Pick<WorkerOptions, 'workerData'>): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options)
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(boot, { ...options, eval: true, execArgv: [] })
}
