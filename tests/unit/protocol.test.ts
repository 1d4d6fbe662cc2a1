import { describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import {
  CloseCode,
  ErrorCode,
  MessageType,
  PROTOCOL_VERSION,
  parseRoomPath,
  roomName,
} from '../../shared/protocol.ts'
import { JoinCodeSchema, CreateWorkshopRequest } from '../../shared/api.ts'
import { SaveTracker } from '../../shared/ack.ts'
import { encodeDurableAck, encodeHello, readDurableAck, readHello } from '../../shared/wire.ts'
import { canWrite } from '../../shared/permissions.ts'

describe('room paths', () => {
  it('round-trips a room name and refuses anything that is not id + doc', () => {
    expect(parseRoomPath('/ws/' + roomName('AbCdEfGh1234', 'board'))).toEqual({
      workshopId: 'AbCdEfGh1234',
      doc: 'board',
    })
    for (const bad of [
      '/ws/short/board',
      '/ws/AbCdEfGh1234/ballots',
      '/ws/../AbCdEfGh1234/board',
      '/x/AbCdEfGh1234/board',
      '/ws/AbCdEfGh1234/board/x',
    ]) {
      expect(parseRoomPath(bad)).toBeNull()
    }
  })
  it('uses 44xx for refusals the client must not retry and 45xx for retryable ones', () => {
    expect(CloseCode.Unauthorized).toBeGreaterThanOrEqual(4400)
    expect(CloseCode.Unauthorized).toBeLessThan(4500)
    expect(CloseCode.SlowConsumer).toBeGreaterThanOrEqual(4500)
  })
})

describe('wire messages', () => {
  it('hello carries a credential and the protocol version, and rejects unknown kinds', () => {
    const bytes = encodeHello({ kind: 'viewer', code: 'ABCDEF' })
    const d = decoding.createDecoder(bytes)
    expect(decoding.readVarUint(d)).toBe(MessageType.Hello)
    expect(readHello(d)).toEqual({
      v: PROTOCOL_VERSION,
      credential: { kind: 'viewer', code: 'ABCDEF' },
    })
    const forged = encodeHello({ kind: 'admin', key: 'x' } as never)
    const d2 = decoding.createDecoder(forged)
    decoding.readVarUint(d2)
    expect(() => readHello(d2)).toThrow()
  })
  it('durable ack carries barrier and state vector', () => {
    const d = decoding.createDecoder(encodeDurableAck(7, new Uint8Array([1, 5, 3])))
    decoding.readVarUint(d)
    expect(readDurableAck(d)).toEqual({ barrier: 7, stateVector: new Map([[5, 3]]) })
  })
})

describe('save tracker', () => {
  it('is saved only once the server echoed the latest barrier', () => {
    const t = new SaveTracker()
    expect(t.saved).toBe(true)
    const b1 = t.edit()
    const b2 = t.edit()
    t.ack(b1)
    expect(t.saved).toBe(false)
    t.ack(b2)
    expect(t.saved).toBe(true)
    t.ack(99) // a stale or forged number cannot mark future edits saved
    t.edit()
    expect(t.saved).toBe(false)
  })
})

describe('schemas and permissions', () => {
  it('normalises join codes typed by people', () => {
    expect(JoinCodeSchema.parse(' abcde-fghjk ')).toBe('ABCDEFGHJK')
    expect(JoinCodeSchema.parse('abcde fghjk')).toBe('ABCDEFGHJK')
    expect(JoinCodeSchema.safeParse('ABCDEFGHJ1').success).toBe(false) // 1 is not in the alphabet
    expect(JoinCodeSchema.safeParse('ABCDEF').success).toBe(false) // the old six-letter length
  })
  it('strips control characters from titles and defaults language and anonymity', () => {
    expect(CreateWorkshopRequest.parse({ title: ' Diner\u0000 pensant ' })).toEqual({
      title: 'Diner  pensant',
      language: 'nl',
      anonymity: 'table',
    })
  })
  it('lets only facilitators write control; viewers write nothing', () => {
    expect(canWrite('facilitator', 'control')).toBe(true)
    expect(canWrite('participant', 'control')).toBe(false)
    expect(canWrite('participant', 'board')).toBe(true)
    expect(canWrite('viewer', 'board')).toBe(false)
  })
})

describe('combined connection status', () => {
  it('is saved only when both docs are, whichever socket noticed the drop first', async () => {
    const { combineStatus } = await import('../../client/sync/connection.ts')
    const live = (saved: boolean, readOnly: boolean) =>
      ({ kind: 'live', saved, readOnly, refusedEdit: false }) as const
    expect(
      combineStatus(live(false, false), { kind: 'offline', saved: true, retry: null }),
    ).toEqual({
      kind: 'offline',
      saved: false,
      retry: null,
    })
    expect(combineStatus(live(true, false), live(true, true))).toEqual(live(true, false))
    expect(
      combineStatus({ kind: 'connecting', retry: null }, { kind: 'refused', code: 'UNAUTHORIZED' }),
    ).toEqual({ kind: 'refused', code: 'UNAUTHORIZED' })
  })
  it('keeps the reason the server gave for a retry, and a refused edit of either doc', async () => {
    const { combineStatus } = await import('../../client/sync/connection.ts')
    expect(
      combineStatus(
        { kind: 'offline', saved: true, retry: null },
        { kind: 'offline', saved: true, retry: 'INTERNAL' },
      ),
    ).toEqual({
      kind: 'offline',
      saved: true,
      retry: 'INTERNAL',
    })
    const refused = combineStatus(
      { kind: 'live', saved: false, readOnly: false, refusedEdit: true },
      { kind: 'live', saved: true, readOnly: true, refusedEdit: false },
    )
    expect(refused).toMatchObject({ kind: 'live', refusedEdit: true })
  })
})

describe('close codes', () => {
  it('retries server faults, restarts and slow links; only 44xx and 1009 are final', async () => {
    const { closeMeaning } = await import('../../client/sync/connection.ts')
    expect(closeMeaning(CloseCode.InternalError)).toEqual({
      final: false,
      error: ErrorCode.Internal,
    })
    expect(closeMeaning(CloseCode.ServerRestart)).toEqual({
      final: false,
      error: ErrorCode.ServerRestart,
    })
    expect(closeMeaning(CloseCode.SlowConsumer)).toEqual({
      final: false,
      error: ErrorCode.SlowConsumer,
    })
    expect(closeMeaning(1006)).toEqual({ final: false, error: null })
    expect(closeMeaning(1000)).toEqual({ final: false, error: null })
    expect(closeMeaning(CloseCode.MessageTooBig)).toEqual({
      final: true,
      error: ErrorCode.TooLarge,
    })
    expect(closeMeaning(CloseCode.VersionMismatch)).toEqual({
      final: true,
      error: ErrorCode.VersionMismatch,
    })
    expect(closeMeaning(CloseCode.BadMessage)).toEqual({ final: true, error: ErrorCode.BadMessage })
    expect(closeMeaning(CloseCode.Unauthorized)).toEqual({
      final: true,
      error: ErrorCode.Unauthorized,
    })
    expect(closeMeaning(CloseCode.RoomNotFound)).toEqual({
      final: true,
      error: ErrorCode.WorkshopNotFound,
    })
    expect(closeMeaning(CloseCode.WorkshopDeleted)).toEqual({
      final: true,
      error: ErrorCode.WorkshopNotFound,
    })
    expect(closeMeaning(CloseCode.AuthTimeout)).toEqual({
      final: true,
      error: ErrorCode.AuthTimeout,
    })
    // a final code this tab does not know comes from a newer server
    expect(closeMeaning(4499)).toEqual({ final: true, error: ErrorCode.VersionMismatch })
  })
  it('maps every close code the protocol defines', async () => {
    const { closeMeaning } = await import('../../client/sync/connection.ts')
    for (const code of Object.values(CloseCode))
      expect(closeMeaning(code).error, `close ${code}`).not.toBeNull()
  })
})

describe('rate budget', () => {
  it('allows a burst of one second, then the steady rate', async () => {
    const { RateBudget } = await import('../../server/relay/rate.ts')
    let now = 0
    const budget = new RateBudget(10, { now: () => now })
    const burst = Array.from({ length: 15 }, () => budget.take()).filter(Boolean).length
    expect(burst).toBe(10)
    now += 500
    expect(Array.from({ length: 10 }, () => budget.take()).filter(Boolean).length).toBe(5)
  })
})
