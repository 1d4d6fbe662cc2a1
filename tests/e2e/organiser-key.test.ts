/** The start page on a server with CREATE_KEY: it asks for the organiser key and creates with it. */
import { describe, expect, it } from 'vitest'
import { useBrowser, newParticipantContext, startAppServer, watchPage } from '../helpers/browser.ts'
import { useCleanups } from '../helpers/lifecycle.ts'

const browser = useBrowser()
const track = useCleanups()

describe('organiser key on the start page', () => {
  it('a server with CREATE_KEY shows the organiser key field, refuses a wrong key with a clear message and creates with the right one', async () => {
    const key = 'gemeente-organisator-sleutel-42'
    const server = await startAppServer({ createKey: key })
    track(() => server.close())
    const ctx = await newParticipantContext(browser())
    track(() => ctx.close())
    const page = await ctx.newPage()
    const watch = watchPage(page)
    await page.goto(server.url + '/')
    await page.getByTestId('create-title').fill('Leertuin Participatie')
    const keyField = page.getByLabel('Organisatorsleutel')
    await keyField.fill('niet-de-goede-sleutel-0000')
    await page.getByTestId('create-submit').click()
    await expect.poll(() => page.getByText('juiste organisatorsleutel').count()).toBe(1)
    await keyField.fill(key)
    await page.getByTestId('create-submit').click()
    // creating leads through the handover (issue #11 point 2), then on to the board
    await page.getByRole('link', { name: 'Naar het bord' }).click()
    await page.waitForURL(/\/w\/[^/]+\/facilitate/)
    // the refused attempt is the only failed request the page saw
    expect(watch.errors.filter((e) => !e.includes('401'))).toEqual([])
  })

  it('a server without CREATE_KEY shows no organiser key field', async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ctx = await newParticipantContext(browser())
    track(() => ctx.close())
    const page = await ctx.newPage()
    const config = page.waitForResponse((r) => r.url().endsWith('/api/config'))
    await page.goto(server.url + '/')
    await config
    await page.getByTestId('create-title').waitFor()
    expect(await page.getByTestId('create-key').count()).toBe(0)
  })
})
