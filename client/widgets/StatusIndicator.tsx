/** Connection and save status, always visible, announced politely. */
import { ErrorCode } from '../../shared/protocol.ts'
import { errorKey, useI18n } from '../i18n/index.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { useDisplayStatus } from '../sync/useWorkshop.ts'

export function StatusIndicator({ conn }: { conn: WorkshopConnection }) {
  const { t } = useI18n()
  const status = useDisplayStatus(conn)
  let kind: string = status
  let text: string
  if (status.startsWith('refused:')) {
    kind = 'refused'
    const code = status.slice('refused:'.length) as ErrorCode
    // these say themselves what to do; "no access" would be wrong for them
    const standsAlone = code === ErrorCode.VersionMismatch || code === ErrorCode.TooLarge
    text = standsAlone ? t(errorKey(code)) : t('status.refused', { reason: t(errorKey(code)) })
  } else if (status.startsWith('retry:')) {
    kind = 'offline'
    text = t('status.retrying', { reason: t(errorKey(status.slice('retry:'.length) as ErrorCode)) })
  } else if (status === 'not-saved') {
    text = t('status.notSaved')
  } else if (status === 'offline-saved') {
    kind = 'offline'
    text = t('status.offlineSaved')
  } else {
    text = t(
      `status.${status as 'connecting' | 'live' | 'saving' | 'saved' | 'offline' | 'readonly'}`,
    )
  }
  return (
    <div
      className={`status status-${kind}`}
      data-testid="status"
      data-status={kind}
      role="status"
      aria-live="polite"
      aria-label={t('status.label')}
    >
      <span className="status-dot" aria-hidden="true" />
      <span>{text}</span>
    </div>
  )
}
