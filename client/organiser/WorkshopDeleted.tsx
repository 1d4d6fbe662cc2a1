/** What replaces the board once the workshop is deleted: a clear page, not a board nobody saves. */
import { ROUTES } from '../../shared/api.ts'
import { useI18n } from '../i18n/index.ts'
import { Page } from '../lib/Page.tsx'
import { navigate } from '../lib/router.ts'

export function WorkshopDeleted() {
  const { t } = useI18n()
  return (
    <Page>
      <h1>{t('deleted.heading')}</h1>
      <p>{t('deleted.body')}</p>
      <p className="hint">{t('deleted.wiped')}</p>
      <p>
        <a
          href={ROUTES.home}
          onClick={(e) => {
            e.preventDefault()
            navigate(ROUTES.home)
          }}
        >
          {t('join.backHome')}
        </a>
      </p>
    </Page>
  )
}
