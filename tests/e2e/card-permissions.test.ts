/**
 * Who may change cards, end to end (issue #14 point 4): the facilitator changes the setting in
 * the organiser menu and a participant's board follows (another table's card loses its tools);
 * deleting someone else's card asks first, and the facilitator puts it back from the trash.
 * The server side (crafted clients) is in tests/integration/card-permissions.test.ts.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { ROUTES } from '../../shared/api.ts'
import { addCard, listCards } from '../../shared/schema.ts'
import { createWorkshop, joinTable, lookup } from '../helpers/server.ts'
import { connectClient, live, saved } from '../helpers/clients.ts'
import { useBrowser, newParticipantContext, startAppServer, watchPage } from '../helpers/browser.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { until } from '../helpers/wait.ts'
import { makeCard } from '../fixtures/builders.ts'

const browser = useBrowser()
const track = useCleanups()

async function openPage(url: string) {
  const ctx = await newParticipantContext(browser())
  track(() => ctx.close())
  const page = await ctx.newPage()
  const watch = watchPage(page)
  track(() => expect(watch.errors).toEqual([]))
  await page.goto(url)
  return page
}

/** Opens the organiser menu, picks who may change cards, saves, closes. */
async function chooseScope(fac: Page, label: RegExp) {
  await fac.getByRole('button', { name: 'Organisator' }).click()
  const group = fac.getByRole('group', { name: 'Wie mag kaarten wijzigen?' })
  await group.getByRole('radio', { name: label }).check()
  expect(await seriousViolations(fac)).toEqual([])
  await fac.getByTestId('settings-save').click()
  await fac.getByTestId('settings-status').getByText('Instellingen opgeslagen.').waitFor()
  await fac.getByTestId('org-menu-close').click()
}

describe('who may change cards (Chromium)', () => {
  it("the setting decides whether another table's card can be edited; deleting someone else's card asks and can be undone", async () => {
    const server = await startAppServer()
    track(() => server.close())
    const ws = await createWorkshop(server.url, 'Leertuin Participatie')
    const info = await lookup(server.url, ws.joinCode)
    // cards written by others: Bram at management, Carla at Anna's own table (inwoner)
    const people = {
      bram: await joinTable(server.url, ws.joinCode, 'Bram', info.tables[1]!.id),
      carla: await joinTable(server.url, ws.joinCode, 'Carla', info.tables[0]!.id),
    }
    for (const [name, p, table] of [
      ['Bram', people.bram, info.tables[1]!],
      ['Carla', people.carla, info.tables[0]!],
    ] as const) {
      const c = connectClient(server.wsUrl, ws.id, { kind: 'participant', token: p.token })
      track(() => c.destroy())
      await live(c)
      addCard(
        c.board,
        makeCard({
          id: `card-${name}`,
          table: table.id,
          x: table.x + 24,
          y: table.y + 110,
          author: p.participantId,
          text: `Kaart van ${name}`,
        }),
      )
      await saved(c)
    }
    const watcher = connectClient(server.wsUrl, ws.id, {
      kind: 'facilitator',
      key: ws.facilitatorKey,
    })
    track(() => watcher.destroy())
    await live(watcher)

    const fac = await openPage(`${server.url}${ROUTES.facilitate(ws.id, ws.facilitatorKey)}`)
    await fac.getByTestId('facilitator-panel').waitFor()
    await chooseScope(fac, /^Iedereen/)

    const anna = await openPage(`${server.url}${ROUTES.join(ws.joinCode)}`)
    await anna.getByTestId('join-name').fill('Anna')
    await anna.getByTestId('join-table-inwoner').check()
    await anna.getByTestId('join-submit').click()
    await anna.getByTestId('board').waitFor()
    const bramCard = anna.getByRole('group', { name: /Kaart van Bram/ })
    // a card's tools exist only on the hovered or focused card (and a focused card is always
    // drawn): Bram's card holds focus while the setting changes, so only the policy can take them
    await bramCard.focus()
    await bramCard
      .getByRole('button', { name: 'Bewerken', includeHidden: true })
      .waitFor({ state: 'attached' })

    // the facilitator closes the board to own tables: Bram's card (another table) loses its tools
    await chooseScope(fac, /^Eigen tafel/)
    await bramCard
      .getByRole('button', { name: 'Bewerken', includeHidden: true })
      .waitFor({ state: 'detached' })
    expect(
      await bramCard
        .getByRole('button', { name: 'Kaart verwijderen', includeHidden: true })
        .count(),
    ).toBe(0)
    // still the focused card: the tools went because of the setting, not because focus moved
    await bramCard.and(anna.locator(':focus')).waitFor()
    // Carla's card is at Anna's own table: still hers to change
    const carlaCard = anna.getByRole('group', { name: /Kaart van Carla/ })
    await carlaCard.focus()
    await carlaCard
      .getByRole('button', { name: 'Bewerken', includeHidden: true })
      .waitFor({ state: 'attached' })

    // deleting someone else's card asks first; Cancel keeps it
    await carlaCard.focus()
    await carlaCard.getByRole('button', { name: 'Kaart verwijderen' }).click()
    const dialog = anna.getByRole('dialog', { name: 'Kaart van iemand anders verwijderen?' })
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Annuleren' }).click()
    await dialog.waitFor({ state: 'detached' })
    // Cancel hands focus back to the card
    await carlaCard.and(anna.locator(':focus')).waitFor()
    expect(listCards(watcher.board).some((c) => c.id === 'card-Carla')).toBe(true)
    await carlaCard.focus()
    await carlaCard.getByRole('button', { name: 'Kaart verwijderen' }).click()
    await dialog.getByRole('button', { name: 'Kaart verwijderen' }).click()
    await until(
      'the card is deleted on the server',
      [[watcher.board, 'update']],
      () => !listCards(watcher.board).some((c) => c.id === 'card-Carla'),
    )

    // the facilitator puts it back from "recently deleted"
    const trash = fac.getByRole('region', { name: 'Recent verwijderd' })
    await trash.getByRole('button', { name: /Zet kaart terug: Kaart van Carla/ }).click()
    await until('the card is back on the server', [[watcher.board, 'update']], () =>
      listCards(watcher.board).some((c) => c.id === 'card-Carla'),
    )
    await anna.getByRole('group', { name: /Kaart van Carla/ }).waitFor()
    expect(listCards(watcher.board).find((c) => c.id === 'card-Carla')?.author).toBe(
      people.carla.participantId,
    )
  })
})
