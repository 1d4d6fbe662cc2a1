/**
 * A TCP pipe in front of one instance's internal address that can stop passing bytes towards it
 * part-way through a frame: the owner then holds the head of a WebSocket frame whose tail never
 * comes, as when it is killed while a large frame is on the wire.
 */
import net from 'node:net'
import { EventEmitter } from 'node:events'

export interface StallProxy {
  /** http://127.0.0.1:<port>, to give as the instance's INTERNAL_URL. */
  url: string
  /** Where the pipe leads (the instance's port, known once it listens). */
  target(port: number): void
  /**
   * From now on each connection passes `bytes` more towards the target, then holds the rest.
   * Resolves once a connection reached that allowance (its bytes handed to the kernel).
   */
  stallAfter(bytes: number): Promise<void>
  close(): Promise<void>
}

export async function startStallProxy(): Promise<StallProxy> {
  let port = 0
  let allowance: number | null = null
  const stalled = new EventEmitter()
  const open = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1')
    for (const s of [client, upstream]) {
      open.add(s)
      s.on('close', () => open.delete(s))
      s.on('error', () => {})
    }
    let passed = 0
    let armedAt: number | null = null
    client.on('data', (d: Buffer) => {
      if (allowance !== null && armedAt === null) armedAt = passed
      const left = armedAt === null ? d.length : armedAt + allowance! - passed
      if (left <= 0) return
      const part = left >= d.length ? d : d.subarray(0, left)
      passed += part.length
      const full = armedAt !== null && passed === armedAt + allowance!
      upstream.write(part, () => {
        if (full) stalled.emit('stalled')
      })
    })
    upstream.on('data', (d: Buffer) => client.write(d))
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    target: (p) => void (port = p),
    stallAfter(bytes) {
      allowance = bytes
      return new Promise<void>((resolve) => stalled.once('stalled', resolve))
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy()
        server.close(() => resolve())
      }),
  }
}
