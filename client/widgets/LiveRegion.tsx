/** The polite live region the announcer writes into. */
import type { Announcement } from '../model/announcer.ts'

export function LiveRegion({ announcement }: { announcement: Announcement }) {
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="announcer">
      {/* a new node per flush: the same words twice in a row are still spoken twice */}
      <span key={announcement.seq}>{announcement.text}</span>
    </div>
  )
}
