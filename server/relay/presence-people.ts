/**
 * The person key stamped into presence, so every tab and device of one participant counts once.
 * Keys are handed out per live room in order of arrival ("p1", "p2", ...): they tell presences of
 * one person apart from others' without showing anyone the participant id (which card authors
 * carry) and without linking a presence to that person across meetings. All facilitators share one
 * key: the room sees them as the role, once.
 */
import type { Awareness } from 'y-protocols/awareness'
import { Role } from '../../shared/protocol.ts'
import { FACILITATOR_PERSON } from '../../shared/presence.ts'
import type { Identity } from '../identity.ts'

class PeopleKeys {
  private readonly keys = new Map<string, string>()

  keyOf(participantId: string): string {
    let key = this.keys.get(participantId)
    if (!key) {
      key = `p${this.keys.size + 1}`
      this.keys.set(participantId, key)
    }
    return key
  }
}

/** One table per live room, found by its awareness as in awareness-ids.ts; an evicted room's goes with it. */
const byRoom = new WeakMap<Awareness, PeopleKeys>()

/** The person key for `who` in this room; null for those without presence (viewers). */
export function personKeyOf(room: { awareness: Awareness }, who: Identity): string | null {
  if (who.role === Role.Facilitator) return FACILITATOR_PERSON
  if (who.role !== Role.Participant || !who.participantId) return null
  let people = byRoom.get(room.awareness)
  if (!people) {
    people = new PeopleKeys()
    byRoom.set(room.awareness, people)
  }
  return people.keyOf(who.participantId)
}
