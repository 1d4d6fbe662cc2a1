/**
 * [issue 14 point 5, ux14] Undo that can be trusted, in Chromium:
 * - the history is the person's in this tab, across the board and the list view;
 * - an undo the server's write guard would refuse (someone else's card moved off one's own table
 *   under "own table") stays named but greyed, with the reason, and writes nothing; it can be
 *   skipped, so the person's steps below it stay within reach;
 * - an undo the server refuses after all (the facilitator closed the principles a moment before,
 *   and this tab had not heard yet) says so in the refused-edit toast, whose reload brings the
 *   board back as the server has it;
 * - undoing text from the board toolbar while that card's editor is open leaves the editor's
 *   caret valid: typing goes on where the text now ends.
 */
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Locator, Page, WebSocketRoute } from 'playwright-core'
import { MessageType } from '../../shared/protocol.ts'
import { addCard, cardBody, listCards } from '../../shared/schema.ts'
import { plainText } from '../../shared/richtext.ts'
import { listPrinciples } from '../../shared/tasks.ts'
import type { WorkshopConnection } from '../../client/sync/connection.ts'
import {
  joinInwonerBoard,
  joinOnPage,
  newParticipantContext,
  savedStatus,
  startAppServer,
  useBrowser,
  watchPage,
} from '../helpers/browser.ts'
import { saved } from '../helpers/clients.ts'
import { useCleanups } from '../helpers/lifecycle.ts'
import { facilitatedWorkshop } from '../helpers/scenario.ts'
import { setBoardPolicy } from '../helpers/server.ts'
import { until } from '../helpers/wait.ts'
import { seriousViolations } from '../helpers/axe.ts'
import { makeCard } from '../fixtures/builders.ts'

const browser = useBrowser()
const track = useCleanups()

/** Two cards at the Inwoner table: Anna's own (she joins as the only participant) and Bram's. */
async function meeting(policy: { sharedTextOpen?: boolean } = {}) {
  const server = await startAppServer()
  track(() => server.close())
  const { ws, info, fac } = await facilitatedWorkshop(server, track)
  const [inwoner, , bestuur] = info.tables
  if (!inwoner || !bestuur) throw new Error('three tables expected')
  addCard(
    fac.board,
    makeCard({ id: 'cA', text: 'Kaart A', order: 1, author: 'p-bram', table: inwoner.id }),
  )
  addCard(
    fac.board,
    makeCard({ id: 'cB', text: 'Kaart van Bram', order: 2, author: 'p-bram', table: inwoner.id }),
  )
  await saved(fac)
  if (policy.sharedTextOpen !== undefined) await setBoardPolicy(server.url, ws, policy)
  return { server, ws, fac, inwoner, bestuur }
}

const card = (page: Page, text: string) => page.getByRole('group', { name: new RegExp(text) })
const tableOf = (fac: WorkshopConnection, id: string) =>
  listCards(fac.board).find((c) => c.id === id)?.table
const textOf = (fac: WorkshopConnection, id: string) => {
  const f = cardBody(fac.board, id)
  return f ? plainText(f) : ''
}
/** What a control shows, its lines joined (the undo button shows the step on a line of its own). */
const shownText = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim()
const announced = (page: Page, text: string) =>
  page.getByTestId('announcer').filter({ hasText: text }).waitFor()
/** The toolbar's controls that the blocked step's note overlaps on screen. */
const controlsUnderNote = (page: Page) =>
  page.evaluate(() => {
    const note = document.querySelector('.undo-note')!.getBoundingClientRect()
    return [...document.querySelectorAll<HTMLElement>('.toolbar button, .toolbar select')]
      .filter((el) => !el.closest('.undo-note'))
      .filter((el) => {
        const r = el.getBoundingClientRect()
        return (
          r.left < note.right && note.left < r.right && r.top < note.bottom && note.top < r.bottom
        )
      })
      .map((el) => el.textContent || el.getAttribute('aria-label'))
  })

/** Anna moves Bram's card to another table: under "own table" its undo is one the server refuses. */
async function moveBramsCard(anna: Page, fac: WorkshopConnection, table: string) {
  const bram = card(anna, 'Kaart van Bram')
  await bram.focus()
  await bram.getByLabel('Verplaats naar tafel').selectOption(table)
  await bram.getByRole('button', { name: 'Verplaatsen' }).click()
  await until(
    'on the other table on the server',
    [[fac.board, 'update']],
    () => tableOf(fac, 'cB') === table,
  )
}

describe('undo that can be trusted (Chromium)', () => {
  it('one history across the board and the list view: a step made on the board is undone in the list, redone back on the board', async () => {
    const { server, ws, fac, inwoner } = await meeting()
    const anna = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    // she moves card A one slot down, below Bram's card
    await card(anna, 'Kaart A').focus()
    await anna.keyboard.press('ArrowDown')
    await until('A below B on the server', [[fac.board, 'update']], () => {
      const a = listCards(fac.board).find((c) => c.id === 'cA')
      const b = listCards(fac.board).find((c) => c.id === 'cB')
      return (a?.order ?? 0) > (b?.order ?? 0)
    })
    await anna.getByRole('button', { name: 'Ongedaan maken: kaart verplaatsen' }).waitFor()

    // to the list view: the same step waits there, named
    await anna.getByRole('link', { name: 'Lijstweergave' }).click()
    await anna.getByRole('main', { name: 'Lijstweergave' }).waitFor()
    const listUndo = anna.getByRole('button', { name: 'Ongedaan maken: kaart verplaatsen' })
    expect(await listUndo.isEnabled()).toBe(true)
    await listUndo.click()
    await until('A back above B on the server', [[fac.board, 'update']], () => {
      const a = listCards(fac.board).find((c) => c.id === 'cA')
      const b = listCards(fac.board).find((c) => c.id === 'cB')
      return (a?.order ?? 0) < (b?.order ?? 0)
    })
    await announced(anna, 'Ongedaan gemaakt: kaart verplaatsen')
    expect(await seriousViolations(anna)).toEqual([])

    // back to the board: the redo is still hers
    await anna.getByRole('link', { name: 'Bordweergave' }).click()
    await anna.getByTestId('board').waitFor()
    await anna.getByRole('button', { name: 'Opnieuw: kaart verplaatsen' }).click()
    await until('A below B again', [[fac.board, 'update']], () => {
      const a = listCards(fac.board).find((c) => c.id === 'cA')
      const b = listCards(fac.board).find((c) => c.id === 'cB')
      return (a?.order ?? 0) > (b?.order ?? 0)
    })
    expect(tableOf(fac, 'cA')).toBe(inwoner.id)
  })

  it('an undo the server would refuse (Bram’s card moved off her table under "own table") stays named, greyed, with the reason, and writes nothing', async () => {
    const { server, ws, fac, bestuur } = await meeting()
    const anna = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    await moveBramsCard(anna, fac, bestuur.id)
    const undo = anna.getByTestId('undo')
    await undo.and(anna.locator('[aria-disabled="true"]')).waitFor()
    expect(await undo.getAttribute('aria-label')).toBeNull()
    expect(await shownText(undo)).toBe('Ongedaan maken: kaart verplaatsen')
    const reason = anna.getByTestId('undo-blocked')
    expect(await reason.innerText()).toBe('Kan nu niet: die kaart mag je nu niet wijzigen.')
    // the reason is the control's description, so a screen reader hears it with the name
    const describedBy = await undo.getAttribute('aria-describedby')
    expect(describedBy).toBe(await reason.getAttribute('id'))
    // a press (and Ctrl+Z) says why and writes nothing
    await undo.focus()
    await anna.keyboard.press('Enter')
    await announced(anna, 'Kan nu niet: die kaart mag je nu niet wijzigen.')
    await anna.getByTestId('board').focus()
    await anna.keyboard.press('Control+z')
    await saved(fac)
    expect(tableOf(fac, 'cB')).toBe(bestuur.id)
    await anna.locator('[data-testid="status"][data-status="saved"]').waitFor()
    expect(await seriousViolations(anna)).toEqual([])
    // the reason hangs below the toolbar: it covers none of its controls, also where the toolbar wraps
    for (const width of [1280, 1024]) {
      await anna.setViewportSize({ width, height: 800 })
      expect(await controlsUnderNote(anna), `at ${width} px`).toEqual([])
    }
  })

  it('a step the server would refuse can be skipped, by keyboard: her own step below it is undone next, the refused one stays as it is', async () => {
    const { server, ws, fac, bestuur } = await meeting()
    const anna = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    // her own step first: card A one slot down
    await card(anna, 'Kaart A').focus()
    await anna.keyboard.press('ArrowDown')
    const aBelowB = () => {
      const a = listCards(fac.board).find((c) => c.id === 'cA')
      const b = listCards(fac.board).find((c) => c.id === 'cB')
      return (a?.order ?? 0) > (b?.order ?? 0)
    }
    await until('A below B on the server', [[fac.board, 'update']], aBelowB)
    await moveBramsCard(anna, fac, bestuur.id)
    const skip = anna.getByRole('button', { name: 'Overslaan: kaart verplaatsen' })
    await skip.waitFor()
    expect(await seriousViolations(anna)).toEqual([])
    await skip.focus()
    await anna.keyboard.press('Enter')
    await announced(anna, 'Overgeslagen: kaart verplaatsen. Dat blijft zoals het is.')
    await skip.waitFor({ state: 'detached' })
    // the next step is her own move of card A, and the server takes it
    const undo = anna.getByTestId('undo')
    await undo.and(anna.locator(':not([aria-disabled="true"])')).waitFor()
    expect(await shownText(undo)).toBe('Ongedaan maken: kaart verplaatsen')
    await undo.click()
    // B has a slot on the other table now; A's own order is what the undo brings back
    await until(
      'A back at its first slot',
      [[fac.board, 'update']],
      () => listCards(fac.board).find((c) => c.id === 'cA')?.order === 1,
    )
    await saved(fac)
    expect(tableOf(fac, 'cB')).toBe(bestuur.id)
  })

  it('an undo the server refuses after all says which step it was, and the reload brings back the board as the server has it', async () => {
    const { server, ws, fac } = await meeting({ sharedTextOpen: true })
    const relay = await holdableRelay(browser())
    const anna = await joinAs(relay.ctx, server.url, ws.joinCode)
    await anna.getByTestId('drawer-tab-side').click()
    await anna.getByTestId('principle-input').fill('Samen beslissen')
    await anna.getByTestId('principle-add').click()
    await until('the principle on the server', [[fac.board, 'update']], () =>
      listPrinciples(fac.board).some((p) => p.text === 'Samen beslissen'),
    )
    await anna.getByRole('button', { name: 'Ongedaan maken: uitgangspunt toevoegen' }).waitFor()
    // the facilitator closes the principles; Anna's tab has not heard it yet when she undoes
    relay.hold()
    await setBoardPolicy(server.url, ws, { sharedTextOpen: false })
    await anna.getByRole('button', { name: 'Ongedaan maken: uitgangspunt toevoegen' }).click()
    await relay.releaseOnNotice()
    const toast = anna.locator('[data-testid="notice"][data-refused-step="undo"]')
    await toast.waitFor()
    expect(await toast.innerText()).toContain(
      'Ongedaan maken van “uitgangspunt toevoegen” is geweigerd.',
    )
    // the server kept the principle, the tab had dropped it: the reload is the way on
    expect(listPrinciples(fac.board).map((p) => p.text)).toEqual(['Samen beslissen'])
    await anna.getByTestId('status').and(anna.locator('[data-status="not-saved"]')).waitFor()
    expect(await seriousViolations(anna)).toEqual([])
    await Promise.all([
      anna.waitForEvent('load'),
      toast.getByRole('button', { name: 'Bord opnieuw laden' }).click(),
    ])
    await anna.getByTestId('board').waitFor()
    // the side drawer stays open across the reload (kept per device): the principle is back in it
    await anna.getByText('Samen beslissen').first().waitFor()
    await savedStatus(anna).waitFor()
  })

  it('undoing text from the board toolbar while the card’s editor is open leaves the caret valid: in the text, and typing goes on where the text now ends', async () => {
    const { server, ws, fac, bestuur } = await meeting()
    const anna = await joinInwonerBoard(browser(), server.url, ws.joinCode, track)
    await card(anna, 'Kaart A').focus()
    await anna.keyboard.press('Enter')
    const dialog = anna.getByRole('dialog', { name: /Kaart bewerken/ })
    const text = dialog.getByRole('textbox', { name: /Tekst van de kaart/ })
    await text.waitFor()
    // paragraphs of her own, the caret in the last one: the undo takes them all away
    await anna.keyboard.press('End')
    await anna.keyboard.type(' en')
    await anna.keyboard.press('Enter')
    await anna.keyboard.type('Tweede regel')
    await anna.keyboard.press('Enter')
    await anna.keyboard.type('Derde regel')
    await until('the typing on the server', [[fac.board, 'update']], () =>
      textOf(fac, 'cA').includes('Derde regel'),
    )
    await anna
      .getByTestId('undo')
      .and(anna.getByRole('button', { name: 'Ongedaan maken: kaarttekst bewerken', exact: true }))
      .click()
    await until(
      'the typing gone on the server',
      [[fac.board, 'update']],
      () => textOf(fac, 'cA') === 'Kaart A',
    )
    // someone else's write after the undo (a card at another table) moves nothing
    addCard(fac.board, makeCard({ id: 'cZ', text: 'Elders', order: 9, table: bestuur.id }))
    await saved(fac)
    await card(anna, 'Elders').waitFor({ state: 'attached' })
    // back in the text, the caret is in the remaining paragraph's text, at its end
    await text.focus()
    await anna.waitForFunction(() => {
      const sel = getSelection()
      const node = sel?.rangeCount ? sel.getRangeAt(0).startContainer : null
      return (
        node?.nodeType === Node.TEXT_NODE &&
        node.parentElement?.closest('.ProseMirror p') !== null &&
        sel?.anchorOffset === node.textContent?.length
      )
    })
    await anna.keyboard.type('!')
    await until('the new typing on the server', [[fac.board, 'update']], () =>
      textOf(fac, 'cA').includes('!'),
    )
    expect(textOf(fac, 'cA')).toBe('Kaart A!')
  })
})

/** Anna joins the Inwoner table in a context of the caller's. */
async function joinAs(ctx: BrowserContext, base: string, joinCode: string): Promise<Page> {
  const page = await ctx.newPage()
  const watch = watchPage(page)
  track(() => expect(watch.errors).toEqual([]))
  await joinOnPage(page, base, joinCode, 'Anna')
  await savedStatus(page).waitFor()
  return page
}

/**
 * A participant context whose board socket runs through the test: while held, what the server
 * sends waits (so the tab has not heard of a change the server made), until the server's notice
 * of a refusal is among it; then it all goes on in order.
 */
async function holdableRelay(b: ReturnType<typeof browser>) {
  const ctx = await newParticipantContext(b)
  track(() => ctx.close())
  let held: (string | Buffer)[] | null = null
  let board: WebSocketRoute | null = null
  let noticed: (() => void) | null = null
  await ctx.routeWebSocket(/\/ws\//, (ws) => {
    const server = ws.connectToServer()
    const isBoard = ws.url().endsWith('/board')
    if (isBoard) board = ws
    ws.onMessage((m) => server.send(m))
    server.onMessage((m) => {
      if (isBoard && held) {
        held.push(m)
        if (typeof m !== 'string' && m[0] === MessageType.Notice) noticed?.()
        return
      }
      ws.send(m)
    })
  })
  return {
    ctx,
    hold: () => {
      held = []
    },
    releaseOnNotice: () =>
      new Promise<void>((resolve) => {
        const release = () => {
          const queue = held ?? []
          held = null
          for (const m of queue) board?.send(m)
          resolve()
        }
        if (held?.some((m) => typeof m !== 'string' && m[0] === MessageType.Notice)) release()
        else noticed = release
      }),
  }
}
