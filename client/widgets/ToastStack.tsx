/**
 * Where toasts stand: the room cues above, then the server notices inside a polite live region.
 * The region is drawn whatever its items, so a notice is inserted into a region a screen reader
 * already watches, also where the items' code comes later (LazyNotices.tsx).
 */
import type { ReactNode } from 'react'
import { useI18n } from '../i18n/index.ts'

export function ToastStack({ cues, notices }: { cues: ReactNode; notices: ReactNode }) {
  const { t } = useI18n()
  return (
    <div className="toast-stack">
      {cues}
      <div className="toasts" role="region" aria-label={t('notice.heading')} aria-live="polite">
        {notices}
      </div>
    </div>
  )
}
