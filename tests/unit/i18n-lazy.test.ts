import { describe, expect, it } from 'vitest'
import { getLang, loadLang, setLang, translate } from '../../client/i18n/index.ts'
import { nl } from '../../client/i18n/nl.ts'
import { en } from '../../client/i18n/en.ts'

// a file of its own: no other test may have loaded the English catalogue in this module graph
describe('the English catalogue is loaded on demand', () => {
  it('shows Dutch until English has arrived, then English; a later choice wins', async () => {
    expect(translate('en', 'app.loading')).toBe(nl['app.loading'])
    // English asked for, then Dutch again before the catalogue came: it stays Dutch
    setLang('en')
    expect(getLang()).toBe('nl')
    setLang('nl')
    await loadLang('en')
    expect(getLang()).toBe('nl')
    expect(translate('en', 'app.loading')).toBe(en['app.loading'])
    // loaded now: the switch is immediate
    setLang('en')
    expect(getLang()).toBe('en')
    setLang('nl')
    expect(getLang()).toBe('nl')
  })
})
