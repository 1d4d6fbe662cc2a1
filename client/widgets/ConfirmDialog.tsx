/**
 * A modal yes/no question for a destructive action (native <dialog>: focus stays inside, Escape
 * cancels, focus returns to the opener). Focus starts on Cancel, the harmless choice.
 */
import { type ReactNode, useEffect, useId, useRef } from 'react'
import { useI18n } from '../i18n/index.ts'

interface Props {
  open: boolean
  title: string
  children?: ReactNode
  confirmLabel: string
  onConfirm(): void
  onCancel(): void
  testId?: string
}

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  testId,
}: Props) {
  const { t } = useI18n()
  const ref = useRef<HTMLDialogElement>(null)
  const headingId = useId()
  const cancelRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) {
      d.showModal()
      cancelRef.current?.focus()
    } else if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className="round-dialog confirm-dialog"
      aria-labelledby={headingId}
      onClose={onCancel}
      data-testid={testId}
    >
      {open && (
        <>
          <h2 id={headingId}>{title}</h2>
          {children}
          <div className="button-row">
            <button
              type="button"
              className="btn btn-danger"
              data-testid="confirm-yes"
              onClick={onConfirm}
            >
              {confirmLabel}
            </button>
            <button
              type="button"
              className="btn"
              ref={cancelRef}
              data-testid="confirm-no"
              onClick={onCancel}
            >
              {t('vote.cancel')}
            </button>
          </div>
        </>
      )}
    </dialog>
  )
}
