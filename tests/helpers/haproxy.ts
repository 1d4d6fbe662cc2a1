/**
 * A real load balancer in front of several Stip instances: Debian's haproxy (`.ci/run` installs
 * it), round robin, WebSockets tunnelled, each instance health-checked on /api/health so a killed
 * one leaves the rotation, and a refused connection retried on the next instance. The same
 * configuration is documented for operators in docs/DEPLOY.md.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { API } from '../../shared/api.ts'
import { freePort } from './ports.ts'

export interface LoadBalancer {
  /** http://127.0.0.1:port */
  url: string
  wsUrl: string
  stop(): void
}

export interface Backend {
  name: string
  /** host:port of the instance */
  address: string
}

const HAPROXY = ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy'].find((p) => fs.existsSync(p))

/** The configuration, also quoted in docs/DEPLOY.md. */
export function haproxyConfig(bind: string, backends: Backend[]): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    // an upgraded WebSocket is a tunnel: idle for as long as a meeting pauses
    '  timeout tunnel 1h',
    // a refused connection (an instance just killed, not yet marked down) goes to another one
    '  retries 2',
    '  option redispatch',
    'frontend stip',
    `  bind ${bind}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    `  option httpchk GET ${API.health}`,
    '  http-check expect status 200',
    '  default-server inter 250ms fall 2 rise 1',
    ...backends.map((b) => `  server ${b.name} ${b.address} check`),
    '',
  ].join('\n')
}

export async function startLoadBalancer(backends: Backend[]): Promise<LoadBalancer> {
  if (!HAPROXY)
    throw new Error('haproxy is not installed: apt-get install haproxy, as .ci/run does')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-lb-'))
  const port = await freePort()
  const cfg = path.join(dir, 'haproxy.cfg')
  const pidFile = path.join(dir, 'pid')
  fs.writeFileSync(cfg, haproxyConfig(`127.0.0.1:${port}`, backends))
  // -D: haproxy binds its listeners, then detaches; once this returns the port is accepting
  execFileSync(HAPROXY, ['-D', '-f', cfg, '-p', pidFile], { stdio: 'pipe' })
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim())
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    stop() {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
