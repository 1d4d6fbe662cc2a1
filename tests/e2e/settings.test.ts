import { describe, expect, it } from 'vitest'
import { ROUTES } from '../../shared/api.ts'
import { createWorkshop } from '../helpers/server.ts'
import { useBrowser, newParticipantContext, startAppServer, watchPage } from '../helpers/browser.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { seriousViolations } from '../helpers/axe.ts'

const browser = useBrowser()
const track = useCleanups()

async function openPage(url: string) {
  const ctx = await newParticipantContext(browser())
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  await page.goto(url)
  return { page, watch }
}

describe('workshop settings (Chromium)', () => {
  it('the facilitator changes title and anonymity in the organiser menu; a participant’s screen and presence follow', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url, 'Leertuin Participatie')

    const anna = await openPage(`${server.url}${ROUTES.join(ws.joinCode)}`)
    await anna.page.getByTestId('join-name').fill('Anna')
    await anna.page.getByTestId('join-table-inwoner').check()
    await anna.page.getByTestId('join-submit').click()
    await anna.page.getByTestId('board').waitFor()

    const fac = await openPage(`${server.url}${ROUTES.facilitate(ws.id, ws.facilitatorKey)}`)
    await fac.page.getByTestId('facilitator-panel').waitFor()
    await fac.page.getByRole('button', { name: /^Aanwezig/ }).click()
    const facPresence = fac.page.getByTestId('presence-list')
    // per-table workshop: the facilitator sees a participant, not a name
    await facPresence.getByText('Deelnemer', { exact: true }).waitFor()
    // and the participant sees the facilitator as the role
    await anna.page.getByRole('button', { name: /^Aanwezig/ }).click()
    await anna.page.getByTestId('presence-list').getByText('Begeleider', { exact: true }).waitFor()

    await fac.page.getByTestId('org-menu').click()
    const title = fac.page.getByTestId('settings-title')
    await expect.poll(() => title.inputValue()).toBe('Leertuin Participatie')
    expect(await seriousViolations(fac.page)).toEqual([])
    await title.fill('Leertuin, tweede avond')
    await fac.page.getByTestId('settings-anonymity-named').check()
    await fac.page.getByTestId('settings-save').click()
    await fac.page.getByTestId('settings-status').getByText('Instellingen opgeslagen.').waitFor()
    await fac.page.getByTestId('org-menu-close').click()

    await anna.page.getByRole('heading', { level: 1, name: 'Leertuin, tweede avond' }).waitFor()
    await fac.page.getByRole('heading', { level: 1, name: 'Leertuin, tweede avond' }).waitFor()
    // Anna's next presence update is stamped with the new anonymity: now her name shows
    const canvas = anna.page.getByTestId('board')
    const box = (await canvas.boundingBox())!
    await anna.page.mouse.move(box.x + 200, box.y + 200)
    await anna.page.mouse.move(box.x + 260, box.y + 240)
    await facPresence.getByText('Anna', { exact: true }).waitFor()

    expect(anna.watch.errors).toEqual([])
    expect(fac.watch.errors).toEqual([])
  })

  it('a refused change is shown, and the form keeps what was typed', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url, 'Leertuin Participatie')
    const fac = await openPage(`${server.url}${ROUTES.facilitate(ws.id, ws.facilitatorKey)}`)
    await fac.page.getByTestId('facilitator-panel').waitFor()
    await fac.page.getByTestId('org-menu').click()
    const title = fac.page.getByTestId('settings-title')
    await expect.poll(() => title.inputValue()).toBe('Leertuin Participatie')
    // spaces only: the browser's `required` lets it through, the server's schema does not
    await title.fill('   ')
    await fac.page.getByTestId('settings-save').click()
    await fac.page
      .getByTestId('settings-panel')
      .getByRole('alert')
      .filter({ hasText: /\S/ })
      .waitFor()
    expect(await title.inputValue()).toBe('   ')
    await fac.page.getByTestId('org-menu-close').click()
    await fac.page.getByRole('heading', { level: 1, name: 'Leertuin Participatie' }).waitFor()
  })
})
