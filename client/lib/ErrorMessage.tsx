import { type ClientErrorCode, errorKey, useI18n } from '../i18n/index.ts'

/** A failed request, translated by its error code; announced to screen readers. */
export function ErrorMessage({ code }: { code: ClientErrorCode | null }) {
  const { t } = useI18n()
  return (
    <p className="error" role="alert">
      {code ? t(errorKey(code)) : ''}
    </p>
  )
}
