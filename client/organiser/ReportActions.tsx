/**
 * Report and data for the organiser: the report as Markdown / HTML / JSON in the UI language, an
 * export of everything stored, and deleting the workshop after a typed confirmation.
 */
import { useId, useState } from 'react'
import { HISTORY_API, ROUTES } from '../../shared/api.ts'
import { ErrorMessage } from '../lib/ErrorMessage.tsx'
import { navigate } from '../lib/router.ts'
import { type ClientErrorCode, useI18n } from '../i18n/index.ts'
import { forgetWorkshop } from './forget.ts'
import { deleteWorkshop, downloadFile } from './http.ts'

const FORMATS = ['md', 'html', 'json'] as const
type Format = (typeof FORMATS)[number]

interface Props {
  workshopId: string
  orgKey: string
  /** Report of a snapshot instead of the board as it is now. */
  snapshotId?: string
  /** Deleting is for the workshop's own key; a co-facilitator link is refused (403). */
  canDelete?: boolean
}

export function ReportActions({ workshopId, orgKey, snapshotId, canDelete = true }: Props) {
  const { t, lang } = useI18n()
  const headingId = useId()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ClientErrorCode | null>(null)
  const [status, setStatus] = useState('')

  async function download(path: string, fallback: string) {
    setBusy(true)
    setError(null)
    const r = await downloadFile(path, orgKey, fallback)
    setBusy(false)
    if (r.ok) setStatus(t('report.downloaded', { file: r.data }))
    else setError(r.error)
  }

  function reportPath(format: Format): string {
    const q = new URLSearchParams({ format, lang })
    if (snapshotId) q.set('snapshot', snapshotId)
    return `${HISTORY_API.report(workshopId)}?${q}`
  }

  return (
    <section className="org-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('report.heading')}</h2>
      <p className="hint">{t('report.hint')}</p>
      <div className="org-buttons">
        {FORMATS.map((f) => (
          <button
            key={f}
            type="button"
            className="btn"
            data-testid={`report-download-${f}`}
            disabled={busy}
            onClick={() => void download(reportPath(f), `stip-${workshopId}-${lang}.${f}`)}
          >
            {t(`report.download.${f}`)}
          </button>
        ))}
      </div>
      <div className="org-buttons">
        <button
          type="button"
          className="btn"
          data-testid="org-export"
          disabled={busy}
          onClick={() =>
            void download(HISTORY_API.export(workshopId), `stip-${workshopId}-export.json`)
          }
        >
          {t('org.export')}
        </button>
      </div>
      <p role="status" className="hint">
        {status}
      </p>
      <ErrorMessage code={error} />
      {canDelete && <DeleteWorkshop workshopId={workshopId} orgKey={orgKey} />}
    </section>
  )
}

function DeleteWorkshop({ workshopId, orgKey }: { workshopId: string; orgKey: string }) {
  const { t } = useI18n()
  const inputId = useId()
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ClientErrorCode | null>(null)
  const word = t('org.deleteWord')
  const confirmed = typed.trim().toLowerCase() === word.toLowerCase()

  async function remove() {
    setBusy(true)
    setError(null)
    const r = await deleteWorkshop(workshopId, orgKey)
    setBusy(false)
    if (!r.ok) {
      setError(r.error)
      return
    }
    forgetWorkshop(workshopId)
    navigate(ROUTES.home, { replace: true })
  }

  if (!open) {
    return (
      <div className="org-buttons">
        <button
          type="button"
          className="btn btn-danger"
          data-testid="org-delete"
          onClick={() => setOpen(true)}
        >
          {t('org.delete')}
        </button>
      </div>
    )
  }
  return (
    <form
      className="org-confirm"
      onSubmit={(e) => {
        e.preventDefault()
        if (confirmed) void remove()
      }}
    >
      <p>{t('org.deleteWarning')}</p>
      <label htmlFor={inputId}>{t('org.deleteTypeLabel', { word })}</label>
      <input
        id={inputId}
        data-testid="org-delete-confirm-input"
        value={typed}
        autoComplete="off"
        autoFocus
        onChange={(e) => setTyped(e.target.value)}
      />
      <div className="org-buttons">
        <button
          type="submit"
          className="btn btn-danger"
          data-testid="org-delete-confirm"
          disabled={!confirmed || busy}
        >
          {t('org.deleteConfirm')}
        </button>
        <button type="button" className="btn" onClick={() => (setOpen(false), setTyped(''))}>
          {t('org.cancel')}
        </button>
      </div>
      <ErrorMessage code={error} />
    </form>
  )
}
