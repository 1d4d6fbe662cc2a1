/** A read-only link with a copy button; the outcome is announced through the caller's status line. */
import { useId, useRef } from 'react'
import { useI18n } from '../i18n/index.ts'
import { copyText } from './links.ts'

interface Props {
  label: string
  value: string
  /** Names what was copied in the announcement ("Deelnemerslink gekopieerd"). */
  onCopied: (ok: boolean) => void
  describedBy?: string
  testId?: string
}

export function CopyField({ label, value, onCopied, describedBy, testId }: Props) {
  const { t } = useI18n()
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input
          id={id}
          ref={input}
          readOnly
          value={value}
          spellCheck={false}
          data-testid={testId}
          {...(describedBy && { 'aria-describedby': describedBy })}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="btn"
          onClick={() => void copyText(value, input.current).then(onCopied)}
        >
          {t('handover.copy', { what: label })}
        </button>
      </div>
    </div>
  )
}
