/**
 * Voting rounds. Facilitators open, close and reveal; participants cast ballots here, never in a
 * Yjs doc. While a round is open only the number of voters is published; tallies appear in the
 * control doc on reveal and nowhere before. The round ledger (server/voting/ledger.ts) decides:
 * a cast's check that the round is open and its ballot within limits, and a close, take one lock
 * (a row lock on PostgreSQL, so this holds across instances). The control doc gets a display copy
 * of each answer; the routes of one workshop run one at a time here (rooms.serial), so the copies
 * land in the order the ledger answered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import { BallotRequest, type BallotResponse, OpenRoundRequest } from '../../shared/api.ts'
import { DocName, ErrorCode } from '../../shared/protocol.ts'
import type * as Y from 'yjs'
import {
  type Round,
  type Tally,
  listRounds,
  readRound,
  readTally,
  writeRound,
  writeRoundVoted,
  writeTally,
} from '../../shared/control.ts'
import { deleteRound as deleteRoundFromDoc, topTaskIds } from '../../shared/control-actions.ts'
import { listTasks } from '../../shared/tasks.ts'
import { newId } from '../identity.ts'
import { caller, requireFacilitator, workshopById } from './auth.ts'
import type { BallotRow, WorkshopRow } from '../store/store.ts'
import { joinedCounts, writeJoinedIfChanged } from '../voting/joined.ts'
import { checkBallot, tally, type Ballot, type StoredBallot } from '../voting/ballots.ts'
import { LedgerError } from '../voting/ledger.ts'
import { kindSetup } from '../voting/kinds/index.ts'
import { HttpError, parseBody, sendJson } from './respond.ts'
import type { RouteContext } from './context.ts'

async function roundOf(ctx: RouteContext, w: WorkshopRow, roundId: string): Promise<Round> {
  const round = await ctx.ledger.round(w.id, roundId)
  if (!round)
    throw new HttpError(404, { error: ErrorCode.RoundNotFound, message: 'no such voting round' })
  return round
}

/** The ledger's answer, its refusals as the route's. */
async function decided<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer
  } catch (err) {
    if (err instanceof LedgerError)
      throw new HttpError(err.status, { error: err.code, message: err.message })
    throw err
  }
}

/** The display copy of a round as the ledger has it; unchanged, nothing is written. */
function showRound(doc: Y.Doc, round: Round): void {
  if (JSON.stringify(readRound(doc, round.id)) !== JSON.stringify(round)) writeRound(doc, round)
}

function showTally(doc: Y.Doc, counted: Tally): void {
  if (JSON.stringify(readTally(doc, counted.roundId)) !== JSON.stringify(counted))
    writeTally(doc, counted)
}

export async function openRound(
  ctx: RouteContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopById(ctx.config.store, id)
  await requireFacilitator(ctx.config.store, w, req)
  const body = await parseBody(req, OpenRoundRequest)
  await ctx.rooms.serial.run(w.id, () => open(ctx, w, body, res))
}

async function open(
  ctx: RouteContext,
  w: WorkshopRow,
  body: z.output<typeof OpenRoundRequest>,
  res: ServerResponse,
) {
  const known = new Set((await ctx.rooms.read(w.id, DocName.Board, listTasks)).map((t) => t.id))
  const taskIds = body.fromRound
    ? await topTasks(ctx, w, body.fromRound.roundId, body.fromRound.top, known)
    : (body.taskIds ?? [])
  const unknown = taskIds.filter((t) => !known.has(t))
  if (unknown.length) {
    throw new HttpError(400, {
      error: ErrorCode.BadRequest,
      message: `unknown tasks: ${unknown.join(', ')}`,
    })
  }
  const setup = kindSetup(body, w.language)
  if (!setup.ok) throw new HttpError(400, { error: setup.code, message: setup.message })
  const proposed: Round = {
    id: newId(ctx.config.random),
    title: body.title,
    taskIds: [...new Set(taskIds)],
    ...setup.round,
    status: 'open',
    openedAt: ctx.config.clock.now(),
    closedAt: null,
    voterCount: 0,
  }
  // one open round at a time: the room votes on one question, and every screen shows that one
  const round = await decided(ctx.ledger.open(w.id, proposed))
  const joined = await joinedCounts(ctx.config.store, w.id)
  await ctx.rooms.write(w.id, DocName.Control, (doc) => {
    showRound(doc, round)
    // a workshop joined before the count was published gets it now
    writeJoinedIfChanged(doc, joined)
  })
  ctx.config.log.info('round.opened', { workshop: w.id, round: round.id })
  sendJson(res, 201, { roundId: round.id })
}

/** The top tasks of an earlier round, which must be revealed: only then is its ranking known. */
async function topTasks(
  ctx: RouteContext,
  w: WorkshopRow,
  roundId: string,
  top: number,
  known: ReadonlySet<string>,
): Promise<string[]> {
  const round = await roundOf(ctx, w, roundId)
  const tally =
    round.status === 'revealed'
      ? await ctx.rooms.read(w.id, DocName.Control, (doc) => readTally(doc, roundId))
      : null
  if (!tally) {
    throw new HttpError(409, {
      error: ErrorCode.RoundNotRevealed,
      message: 'take the top tasks of a revealed round',
    })
  }
  const ids = topTaskIds(round, tally, top, known)
  if (ids.length === 0) {
    throw new HttpError(400, {
      error: ErrorCode.BadRequest,
      message: "none of that round's tasks is still on the board",
    })
  }
  return ids
}

/**
 * Deletes a round that was never revealed (a test round, a wrong setup), with its ballots. A
 * revealed round stays: its results were on the screen and are part of the meeting's record.
 */
export async function deleteRound(
  ctx: RouteContext,
  id: string,
  roundId: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopById(ctx.config.store, id)
  await requireFacilitator(ctx.config.store, w, req)
  await ctx.rooms.serial.run(w.id, async () => {
    await decided(ctx.ledger.remove(w.id, roundId))
    await ctx.rooms.write(w.id, DocName.Control, (doc) => {
      if (readRound(doc, roundId)) deleteRoundFromDoc(doc, roundId)
    })
  })
  ctx.config.log.info('round.deleted', { workshop: w.id, round: roundId })
  sendJson(res, 200, { ok: true })
}

export async function closeRound(
  ctx: RouteContext,
  id: string,
  roundId: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopById(ctx.config.store, id)
  await requireFacilitator(ctx.config.store, w, req)
  await ctx.rooms.serial.run(w.id, async () => {
    const { round } = await decided(ctx.ledger.closeRound(w.id, roundId, ctx.config.clock.now()))
    await ctx.rooms.write(w.id, DocName.Control, (doc) => showRound(doc, round))
  })
  sendJson(res, 200, { ok: true })
}

const asStored = (rows: BallotRow[]): StoredBallot[] =>
  rows.map((b) => ({
    participantId: b.participantId,
    tableId: b.tableId,
    ...(JSON.parse(b.ballot) as Ballot),
  }))

const storedBallots = async (
  ctx: RouteContext,
  w: WorkshopRow,
  roundId: string,
): Promise<StoredBallot[]> => asStored(await ctx.config.store.ballots(w.id, roundId))

export async function revealRound(
  ctx: RouteContext,
  id: string,
  roundId: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopById(ctx.config.store, id)
  await requireFacilitator(ctx.config.store, w, req)
  const result = await ctx.rooms.serial.run(w.id, async () => {
    const revealed = await decided(
      ctx.ledger.reveal(w.id, roundId, ctx.config.clock.now(), (round, rows) =>
        tally(round, asStored(rows), w),
      ),
    )
    await ctx.rooms.write(w.id, DocName.Control, (doc) => {
      showRound(doc, revealed.round)
      showTally(doc, revealed.tally)
    })
    return revealed.tally
  })
  ctx.config.log.info('round.revealed', { workshop: w.id, round: roundId, voters: result.voters })
  sendJson(res, 200, result)
}

/**
 * Rewrites the tallies of revealed rounds from their ballots, after anonymity or the threshold
 * changed: what every screen shows follows the workshop's current rule.
 */
export async function retally(ctx: RouteContext, w: WorkshopRow): Promise<void> {
  const revealed = (await ctx.rooms.read(w.id, DocName.Control, listRounds)).filter(
    (r) => r.status === 'revealed',
  )
  if (!revealed.length) return
  const tallies = await Promise.all(
    revealed.map(async (r) => tally(r, await storedBallots(ctx, w, r.id), w)),
  )
  await ctx.rooms.write(w.id, DocName.Control, (doc) => tallies.forEach((t) => writeTally(doc, t)))
}

export async function castBallot(
  ctx: RouteContext,
  id: string,
  roundId: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await workshopById(ctx.config.store, id)
  const who = await caller(ctx.config.store, w, req)
  const { participantId, tableId } = who
  if (who.role !== 'participant' || !participantId || !tableId) {
    throw new HttpError(403, { error: ErrorCode.Forbidden, message: 'only participants vote' })
  }
  const body = await parseBody(req, BallotRequest)
  if (body.participantId !== undefined && body.participantId !== participantId) {
    throw new HttpError(403, {
      error: ErrorCode.NotYourBallot,
      message: 'a ballot can only be cast for yourself',
    })
  }
  const voters = await ctx.rooms.serial.run(w.id, () =>
    cast(ctx, w, roundId, { participantId, tableId }, body),
  )
  const reply: BallotResponse = { ok: true, voterCount: voters }
  sendJson(res, 200, reply)
}

async function cast(
  ctx: RouteContext,
  w: WorkshopRow,
  roundId: string,
  who: { participantId: string; tableId: string },
  body: z.output<typeof BallotRequest>,
): Promise<number> {
  const { round, voters } = await decided(
    ctx.ledger.cast(
      {
        workshopId: w.id,
        roundId,
        participantId: who.participantId,
        tableId: who.tableId,
        castAt: ctx.config.clock.now(),
      },
      (r) => checkBallot(r, body),
    ),
  )
  // Only the counts are published while open: in all and per table (the projector's "N of M").
  const byTable: Record<string, number> = {}
  for (const b of await ctx.config.store.ballots(w.id, roundId))
    byTable[b.tableId] = (byTable[b.tableId] ?? 0) + 1
  await ctx.rooms.write(w.id, DocName.Control, (doc) => {
    showRound(doc, round)
    writeRoundVoted(doc, { roundId, byTable })
  })
  return voters
}
