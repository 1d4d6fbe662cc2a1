/** Page frame for the form screens: skip link, header with language switch, the main landmark. */
import type { ReactNode } from 'react'
import { useI18n } from '../i18n/index.ts'
import { LanguageSwitch } from './LanguageSwitch.tsx'

export function Page({ children }: { children: ReactNode }) {
  const { t } = useI18n()
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="page-header">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
    </>
  )
}
