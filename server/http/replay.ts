/**
 * The replay's outline and segments (shared/replay-segments.ts) for the organiser, as heavy jobs
 * (server/heavy/replay.ts): capped per workshop and answered 429 like the other heavy routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ErrorCode } from '../../shared/protocol.ts'
import { OutlineQuery, SegmentQuery } from '../../shared/replay-segments.ts'
import { type HistoryContext, liveAt, organiser, runHeavy } from './history.ts'
import { HttpError, SECURITY_HEADERS } from './respond.ts'

const query = (req: IncomingMessage) =>
  Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams)

function send(res: ServerResponse, body: Uint8Array, type: string): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': body.byteLength,
    'Cache-Control': 'no-store',
  })
  res.end(body)
}

export async function replayOutline(
  ctx: HistoryContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  const q = OutlineQuery.safeParse(query(req))
  if (!q.success)
    throw new HttpError(400, { error: ErrorCode.BadRequest, message: 'bad outline query' })
  const body = await runHeavy(ctx, res, w.id, async () => {
    const at = await liveAt(ctx, w.id)
    return {
      kind: 'replay-outline',
      workshopId: w.id,
      board: at.board,
      control: at.control,
      every: q.data.segment,
    }
  })
  if (body) send(res, body, 'application/octet-stream')
}

export async function replaySegment(
  ctx: HistoryContext,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const w = await organiser(ctx, id, req)
  const q = SegmentQuery.safeParse(query(req))
  if (!q.success)
    throw new HttpError(400, { error: ErrorCode.BadRequest, message: 'bad segment query' })
  // positions the outline reported, so already committed: nothing to flush here
  const body = await runHeavy(ctx, res, w.id, async () => ({
    kind: 'replay-segment',
    workshopId: w.id,
    ...q.data,
  }))
  if (body) send(res, body, 'application/octet-stream')
}
