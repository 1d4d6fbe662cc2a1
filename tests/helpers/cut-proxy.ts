/**
 * A TCP proxy between the store and PostgreSQL that can break a connection at COMMIT, as a
 * network cut would: before the COMMIT reaches the server (rolled back), or after the server
 * committed but before its answer comes back (committed, and the client cannot know).
 */
import net from 'node:net'

/** The simple-query message `COMMIT` (pg sends a parameterless query this way). */
const COMMIT = Buffer.concat([
  Buffer.from('Q'),
  Buffer.from([0, 0, 0, 11]),
  Buffer.from('COMMIT\0'),
])

export type Cut = 'before-commit' | 'after-commit'

export interface CutProxy {
  /** A connection string like `target`'s, through the proxy. */
  url: string
  /** The next COMMIT on any connection is cut this way; resolves once it was. */
  arm(cut: Cut): Promise<void>
  close(): Promise<void>
}

export async function startCutProxy(target: string): Promise<CutProxy> {
  const to = new URL(target)
  let armed: { cut: Cut; done: () => void } | null = null
  const open = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(to.port), to.hostname)
    for (const s of [client, upstream]) {
      open.add(s)
      s.on('close', () => open.delete(s))
      s.on('error', () => {})
    }
    const cutBoth = () => {
      client.destroy()
      upstream.destroy()
    }
    let committing: (() => void) | null = null
    client.on('data', (d: Buffer) => {
      const hit = armed && d.includes(COMMIT) ? armed : null
      if (hit) armed = null
      if (hit?.cut === 'before-commit') {
        cutBoth()
        return hit.done()
      }
      upstream.write(d)
      if (hit) committing = hit.done
    })
    upstream.on('data', (d: Buffer) => {
      if (committing) {
        // the server's answer to COMMIT: the transaction is in; the client never hears it
        cutBoth()
        committing()
        committing = null
        return
      }
      client.write(d)
    })
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = new URL(target)
  url.port = String((server.address() as net.AddressInfo).port)
  return {
    url: url.toString(),
    arm: (cut) => new Promise<void>((done) => (armed = { cut, done })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy()
        server.close(() => resolve())
      }),
  }
}
