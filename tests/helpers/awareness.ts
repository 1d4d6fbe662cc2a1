/**
 * Presence at the protocol level: hand-built awareness messages from raw sockets, and what the
 * server let into a board room's awareness (which is exactly what every peer receives).
 */
import * as encoding from 'lib0/encoding'
import type { StipServer } from '../../server/app.ts'
import { type Credential, DocName, MessageType, roomName } from '../../shared/protocol.ts'
import { type RawSocket, openRaw } from './raw.ts'
import type { Track } from './lifecycle.ts'

export function awarenessMessage(clientId: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, clientId)
  encoding.writeVarUint(inner, clock)
  encoding.writeVarString(inner, JSON.stringify(state))
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.Awareness)
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return encoding.toUint8Array(e)
}

/** Raw sockets on a workshop's board room, and the room's awareness as the server holds it. */
export function boardPresence(server: StipServer, workshopId: string, track: Track) {
  const raw = async (hello: Credential): Promise<RawSocket> => {
    const s = await openRaw(`${server.wsUrl}/${roomName(workshopId, DocName.Board)}`, { hello })
    track(() => s.ws.close())
    await s.next(MessageType.Welcome)
    return s
  }
  /** The room's awareness once everything this socket sent before has been handled. */
  const statesAfter = async (s: RawSocket) => {
    s.messages.length = 0
    s.send(new Uint8Array([MessageType.QueryAwareness]))
    await s.next(MessageType.Awareness)
    return server.rooms.get(workshopId, DocName.Board)!.awareness.getStates() as Map<
      number,
      Record<string, unknown>
    >
  }
  return { raw, statesAfter }
}
