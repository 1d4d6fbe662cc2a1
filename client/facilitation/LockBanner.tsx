/** A clear notice while the board is locked; participants cannot edit, the facilitator still can. */
import type { Role } from '../../shared/protocol.ts'
import { useI18n } from '../i18n/index.ts'

export function LockBanner({ locked, mode }: { locked: boolean; mode: Role }) {
  const { t } = useI18n()
  return (
    <div role="status" aria-live="polite" className="lock-region">
      {locked && (
        <p className="lock-banner" data-testid="lock-banner">
          {/* the projector speaks to the room, not to one person who cannot edit */}
          {t(
            mode === 'facilitator'
              ? 'fac.lockedForOthers'
              : mode === 'viewer'
                ? 'lock.stateHand'
                : 'fac.locked',
          )}
        </p>
      )}
    </div>
  )
}
