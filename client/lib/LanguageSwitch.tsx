import { LANGS, useI18n } from '../i18n/index.ts'

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n()
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          className="btn btn-small"
          aria-pressed={lang === l}
          aria-label={`${t(`lang.${l}`)} – ${t(`lang.name.${l}`)}`}
          lang={l}
          onClick={() => setLang(l)}
        >
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  )
}
