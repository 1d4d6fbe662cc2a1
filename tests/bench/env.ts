/** What every bench module shares: the machine, core pinning, /proc readings and quantiles. */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const REPO = path.resolve(import.meta.dirname, '../..')
export const CORES = os.cpus().length
export const PIN = CORES >= 2 && hasTaskset()

export function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** utime + stime of a process in ms, and its resident set in bytes (Linux /proc). */
export function procUsage(pid: number): { cpuMs: number; rss: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return { cpuMs: (ticks * 1000) / 100, rss: rssKb * 1024 }
}

export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}
export const sortNum = (xs: number[]) => xs.slice().sort((a, b) => a - b)

export function fsType(dir: string): string {
  try {
    return execFileSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}

export function readVersion(pkg: string): string {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')) as {
        version: string
      }
    ).version
  } catch {
    return 'missing'
  }
}
