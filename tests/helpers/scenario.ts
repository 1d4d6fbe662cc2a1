/** A created workshop with its facilitator connected live: the start of most scenarios. */
import type { StipServer } from '../../server/app.ts'
import type { Anonymity } from '../../shared/schema.ts'
import { createWorkshop, lookup } from './server.ts'
import { connectClient, live } from './clients.ts'
import type { Track } from './lifecycle.ts'

export async function facilitatedWorkshop(
  server: Pick<StipServer, 'url' | 'wsUrl'>,
  track: Track,
  title?: string,
  anonymity?: Anonymity,
) {
  const ws = await createWorkshop(server.url, title, anonymity)
  const info = await lookup(server.url, ws.joinCode)
  const fac = connectClient(server.wsUrl, ws.id, { kind: 'facilitator', key: ws.facilitatorKey })
  track(() => fac.destroy())
  await live(fac)
  return { ws, info, fac }
}

/** fetch with the given secret as bearer, JSON body when one is given. */
export function bearerFetch(base: string, secret: string) {
  return (method: string, path: string, body?: unknown) =>
    fetch(base + path, {
      method,
      headers: {
        authorization: `Bearer ${secret}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
}
