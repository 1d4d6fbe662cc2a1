/** Server notices as dismissible toasts, translated by code. */
import type { Notice } from '../../shared/protocol.ts'
import { errorKey, useI18n } from '../i18n/index.ts'

export function Notices({ notices, dismiss }: { notices: (Notice & { key: number })[]; dismiss(key: number): void }) {
  const { t } = useI18n()
  return (
    <div className="toasts" role="region" aria-label={t('notice.heading')} aria-live="polite">
      {notices.map((n) => (
        <div key={n.key} className="toast" data-testid="notice" data-code={n.code}>
          <p>{t(errorKey(n.code))}</p>
          <button type="button" className="btn btn-small" aria-label={t('notice.dismiss')} onClick={() => dismiss(n.key)}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ))}
    </div>
  )
}
