/**
 * Voting rounds. Facilitators open, close and reveal; participants cast ballots here, never in a
 * Yjs doc. While a round is open only the number of voters is published; tallies appear in the
 * control doc on reveal and nowhere before. The routes of one workshop run one at a time
 * (rooms.serial): a cast checks the round is open and then stores its ballot, and no close may
 * come between the two.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import { BallotRequest, type BallotResponse, OpenRoundRequest } from '../../shared/api.ts'
import { DocName, ErrorCode } from '../../shared/protocol.ts'
import {
  type Round,
  deleteRound as deleteRoundFromDoc,
  listRounds,
  topTaskIds,
  readRound,
  readTally,
  writeRound,
  writeRoundVoted,
  writeTally,
} from '../../shared/control.ts'
import { listTasks } from '../../shared/tasks.ts'
import { newId } from '../identity.ts'
import { caller, requireFacilitator, workshopById } from './auth.ts'
import type { WorkshopRow } from '../store/store.ts'
import { joinedCounts, writeJoinedIfChanged } from '../voting/joined.ts'
import { checkBallot, tally, type Ballot, type StoredBallot } from '../voting/ballots.ts'
import { kindSetup } from '../voting/kinds/index.ts'
import { HttpError, parseBody, sendJson } from './respond.ts'
import type { RouteContext } from './context.ts'

async function roundOf(ctx: RouteContext, w: WorkshopRow, roundId: string): Promise<Round> {
  const round = await ctx.rooms.read(w.id, DocName.Control, (doc) => readRound(doc, roundId))
  if (!round)
    throw new HttpError(404, { error: ErrorCode.RoundNotFound, message: 'no such voting round' })
  return round
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
  // one open round at a time: the room votes on one question, and every screen shows that one
  const stillOpen = (await ctx.rooms.read(w.id, DocName.Control, listRounds)).find(
    (r) => r.status === 'open',
  )
  if (stillOpen) {
    throw new HttpError(409, {
      error: ErrorCode.RoundAlreadyOpen,
      message: `round ${stillOpen.id} is still open; close it first`,
    })
  }
  const round: Round = {
    id: newId(ctx.config.random),
    title: body.title,
    taskIds: [...new Set(taskIds)],
    ...setup.round,
    status: 'open',
    openedAt: ctx.config.clock.now(),
    closedAt: null,
    voterCount: 0,
  }
  const joined = await joinedCounts(ctx.config.store, w.id)
  await ctx.rooms.write(w.id, DocName.Control, (doc) => {
    writeRound(doc, round)
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
    const round = await roundOf(ctx, w, roundId)
    if (round.status === 'revealed') {
      throw new HttpError(409, {
        error: ErrorCode.RoundRevealed,
        message: 'a revealed round cannot be deleted',
      })
    }
    await ctx.config.store.deleteBallots(w.id, roundId)
    await ctx.rooms.write(w.id, DocName.Control, (doc) => deleteRoundFromDoc(doc, roundId))
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
    const round = await roundOf(ctx, w, roundId)
    if (round.status === 'open') {
      await ctx.rooms.write(w.id, DocName.Control, (doc) =>
        writeRound(doc, { ...round, status: 'closed', closedAt: ctx.config.clock.now() }),
      )
    }
  })
  sendJson(res, 200, { ok: true })
}

const storedBallots = async (
  ctx: RouteContext,
  w: WorkshopRow,
  roundId: string,
): Promise<StoredBallot[]> =>
  (await ctx.config.store.ballots(w.id, roundId)).map((b) => ({
    participantId: b.participantId,
    tableId: b.tableId,
    ...(JSON.parse(b.ballot) as Ballot),
  }))

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
    const round = await roundOf(ctx, w, roundId)
    const counted = tally(round, await storedBallots(ctx, w, roundId), w)
    const now = ctx.config.clock.now()
    await ctx.rooms.write(w.id, DocName.Control, (doc) => {
      writeRound(doc, {
        ...round,
        status: 'revealed',
        closedAt: round.closedAt ?? now,
        voterCount: counted.voters,
      })
      writeTally(doc, counted)
    })
    return counted
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
  const round = await roundOf(ctx, w, roundId)
  if (round.status !== 'open') {
    throw new HttpError(409, {
      error: ErrorCode.RoundNotOpen,
      message: 'this voting round is not open',
    })
  }
  const checked = checkBallot(round, body)
  if (!checked.ok)
    throw new HttpError(checked.status, { error: checked.code, message: checked.message })
  const voters = await ctx.config.store.putBallot({
    workshopId: w.id,
    roundId,
    participantId: who.participantId,
    tableId: who.tableId,
    ballot: JSON.stringify(checked.ballot),
    castAt: ctx.config.clock.now(),
  })
  // Only the counts are published while open: in all and per table (the projector's "N of M").
  const byTable: Record<string, number> = {}
  for (const b of await ctx.config.store.ballots(w.id, roundId))
    byTable[b.tableId] = (byTable[b.tableId] ?? 0) + 1
  await ctx.rooms.write(w.id, DocName.Control, (doc) => {
    const current = readRound(doc, roundId)
    if (current && current.voterCount !== voters)
      writeRound(doc, { ...current, voterCount: voters })
    writeRoundVoted(doc, { roundId, byTable })
  })
  return voters
}
