/**
 * The buttons that open the side drawers, at the right end of the toolbar row: always on screen,
 * so what happens in a closed drawer still shows here (the number of people present; a badge
 * while a voting round is open that this person has not looked at yet).
 */
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { groupByPerson } from '../../shared/presence.ts'
import { useI18n } from '../i18n/index.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { onAwarenessTick, peersOf } from '../sync/presence.ts'
import { useControl } from '../model/useControl.ts'
import { DRAWER_IDS, Drawer, type DrawerHandle } from './drawers.ts'

const peopleCount = (awareness: Awareness) => groupByPerson(peersOf(awareness)).length

/**
 * People present, re-rendering only when the number changes. Counted on the remote tick, not per
 * awareness message: 30 people dragging send 300 pointer moves a second, none of which changes it.
 */
function usePeopleCount(awareness: Awareness): number {
  const [n, setN] = useState(() => peopleCount(awareness))
  useEffect(() => onAwarenessTick(awareness, () => setN(peopleCount(awareness))), [awareness])
  return n
}

/** The open round this person has not yet seen in the drawer, if any. */
function useUnseenRound(conn: WorkshopConnection, sideOpen: boolean): string | null {
  const latest = useControl(conn.control).latestRound
  const openId = latest?.status === 'open' ? latest.id : null
  const [seen, setSeen] = useState<string | null>(null)
  useEffect(() => {
    if (sideOpen && openId) setSeen(openId)
  }, [sideOpen, openId])
  return openId && openId !== seen && !sideOpen ? openId : null
}

interface Props {
  conn: WorkshopConnection
  awareness: Awareness
  drawer: DrawerHandle
  sideLabel: string
  /** Only a participant votes: the facilitator opened the round themselves. */
  showRoundBadge: boolean
}

export function DrawerTabs({ conn, awareness, drawer, sideLabel, showRoundBadge }: Props) {
  const { t } = useI18n()
  const count = usePeopleCount(awareness)
  const unseen = useUnseenRound(conn, drawer.open === Drawer.Side)
  const badge = showRoundBadge && unseen !== null
  const tab = (d: Drawer, label: string, extra?: React.ReactNode) => (
    <button
      type="button"
      className={`btn drawer-tab${drawer.open === d ? ' is-open' : ''}`}
      aria-expanded={drawer.open === d}
      // only while open: a closed drawer is not in the page to point at
      {...(drawer.open === d && { 'aria-controls': DRAWER_IDS[d] })}
      data-testid={`drawer-tab-${d}`}
      onClick={() => drawer.toggle(d)}
    >
      {label}
      {extra}
    </button>
  )
  return (
    <div className="drawer-tabs" role="group" aria-label={t('drawer.tabsLabel')}>
      {tab(Drawer.Presence, t('drawer.presence', { count }))}
      {tab(
        Drawer.Side,
        sideLabel,
        badge && (
          <span className="drawer-badge" data-testid="round-badge">
            <span aria-hidden="true">●</span> {t('drawer.roundBadge')}
          </span>
        ),
      )}
    </div>
  )
}
