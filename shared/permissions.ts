/** Who may write which doc. The server enforces this per connection; the client only mirrors it. */
import { DocName, Role } from './protocol.ts'

export function canWrite(role: Role, doc: DocName): boolean {
  switch (role) {
    case Role.Facilitator:
      return true
    case Role.Participant:
      return doc === DocName.Board
    case Role.Viewer:
      return false
  }
}
