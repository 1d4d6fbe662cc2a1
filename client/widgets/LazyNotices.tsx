/**
 * The toasts (server notices and room cues), their items fetched as a chunk of their own while
 * the board paints. Nothing is lost while it is on its way: the notices and cues are the board's
 * state (useNotices, useRoomCues), so one that arrived before the chunk shows as soon as it is
 * here. The notices' polite live region (ToastStack.tsx) is drawn from the start, so a notice that
 * comes in with the chunk is still inserted into a region the screen reader already watches.
 */
import { loadWithTexts } from '../i18n/index.ts'
import { drawnWhenLoaded } from '../lib/preloadable.tsx'
import type { BoardNotice } from '../model/undoRefusal.ts'
import type { CueProps } from './Notices.tsx'
import { ToastStack } from './ToastStack.tsx'

const load = loadWithTexts(() => import('./Notices.tsx'))
const CueToasts = drawnWhenLoaded(load, (m) => m.CueToasts).Component
const NoticeItems = drawnWhenLoaded(load, (m) => m.NoticeItems).Component

interface Props {
  notices: BoardNotice[]
  dismiss(key: number): void
  cues: CueProps
}

export function Notices({ notices, dismiss, cues }: Props) {
  return (
    <ToastStack
      cues={cues.cues.length > 0 && <CueToasts {...cues} />}
      notices={notices.length > 0 && <NoticeItems notices={notices} dismiss={dismiss} />}
    />
  )
}
