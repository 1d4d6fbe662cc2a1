/**
 * The organiser's menu on the facilitator board: replay, settings, snapshots, report and data, in a modal
 * dialog (native <dialog>: focus stays inside, Escape closes). Contents load only while open.
 */
import { useEffect, useId, useRef, useState } from 'react'
import { loadFacilitatorKey } from '../lib/session.ts'
import { navigate } from '../lib/router.ts'
import { useI18n } from '../i18n/index.ts'
import { replayPath, replaySnapshotPath } from '../lib/replay-route.ts'
import { ReportActions } from './ReportActions.tsx'
import { SettingsPanel } from './SettingsPanel.tsx'
import { SnapshotsPanel } from './SnapshotsPanel.tsx'
import { CoFacilitatorPanel } from './CoFacilitatorPanel.tsx'
import { handoverPath } from './links.ts'
import { API, WhoAmIResponse } from '../../shared/api.ts'
import { apiCall } from '../lib/api.ts'

/**
 * Whether this device came in with a co-facilitator link: then the owner's parts (links for
 * others, deleting) are not offered, as the server would refuse them. null until the server said.
 */
function useIsCoFacilitator(workshopId: string, orgKey: string | null): boolean | null {
  const [co, setCo] = useState<boolean | null>(null)
  useEffect(() => {
    if (!orgKey) return
    let live = true
    void apiCall(API.whoami(workshopId), WhoAmIResponse, { token: orgKey }).then((r) => {
      if (live && r.ok) setCo(r.data.coFacilitator)
    })
    return () => {
      live = false
    }
  }, [workshopId, orgKey])
  return co
}

export function OrganiserMenu({ workshopId }: { workshopId: string }) {
  const { t } = useI18n()
  const headingId = useId()
  const dialogRef = useRef<HTMLDialogElement>(null)
  const [open, setOpen] = useState(false)
  // read on open: the board stores the key from the link after its first render
  const orgKey = open ? loadFacilitatorKey(workshopId) : null
  const coFacilitator = useIsCoFacilitator(workshopId, orgKey)

  useEffect(() => {
    const d = dialogRef.current
    if (!d) return
    if (open && !d.open) d.showModal()
    else if (!open && d.open) d.close()
  }, [open])

  const go = (path: string) => {
    setOpen(false)
    navigate(path)
  }

  return (
    <>
      <button
        type="button"
        className="btn"
        data-testid="org-menu"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        {t('org.menu')}
      </button>
      <dialog
        ref={dialogRef}
        className="org-menu-dialog"
        aria-labelledby={headingId}
        onClose={() => setOpen(false)}
      >
        {open && (
          <>
            <div className="org-menu-head">
              <h2 id={headingId}>{t('org.menu')}</h2>
              <button
                type="button"
                className="btn"
                data-testid="org-menu-close"
                onClick={() => setOpen(false)}
              >
                {t('org.menuClose')}
              </button>
            </div>
            {orgKey ? (
              <>
                <p>
                  <a
                    href={replayPath(workshopId)}
                    data-testid="org-replay"
                    onClick={(e) => {
                      e.preventDefault()
                      go(replayPath(workshopId))
                    }}
                  >
                    {t('org.replay')}
                  </a>
                </p>
                <p>
                  <a
                    href={handoverPath(workshopId)}
                    target="_blank"
                    rel="noopener"
                    data-testid="org-handover"
                  >
                    {t('org.handover')}
                  </a>
                </p>
                <SettingsPanel workshopId={workshopId} orgKey={orgKey} />
                <SnapshotsPanel
                  workshopId={workshopId}
                  orgKey={orgKey}
                  onOpen={(s) => go(replaySnapshotPath(workshopId, s.id))}
                />
                {coFacilitator === false && (
                  <CoFacilitatorPanel workshopId={workshopId} orgKey={orgKey} />
                )}
                <ReportActions
                  workshopId={workshopId}
                  orgKey={orgKey}
                  canDelete={coFacilitator === false}
                />
              </>
            ) : (
              <p>{t('org.noKey')}</p>
            )}
          </>
        )}
      </dialog>
    </>
  )
}
