/**
 * A read model of the control doc for React: re-read whole on every change (it is a handful of
 * small records), cached so useSyncExternalStore sees a stable snapshot between changes.
 */
import { useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import {
  type Follow,
  type Joined,
  type LockState,
  type Phase,
  type Round,
  type Tally,
  type Timer,
  listRounds,
  readChosen,
  readFollow,
  readJoined,
  readKeepTimerOnPhase,
  readLock,
  readLockOnTimerEnd,
  readPhaseId,
  readPhases,
  readShownRound,
  readTally,
  readTimer,
} from '../../shared/control.ts'

export interface ControlState {
  phases: Phase[]
  phase: Phase | null
  timer: Timer
  /** The lock, whatever set it (by hand, or the server at the timer's end). */
  lock: LockState
  /** Same as lock.locked; the announcements read it under this name. */
  manualLock: boolean
  lockOnTimerEnd: boolean
  keepTimerOnPhase: boolean
  joined: Joined
  follow: Follow
  rounds: Round[]
  /** The newest round, open or not. */
  latestRound: Round | null
  /** The newest revealed round with its tally, if any. */
  revealed: RevealedRound | null
  /** Every revealed round with its tally, oldest first: earlier results stay reachable. */
  revealedRounds: RevealedRound[]
  /** The revealed round on the projector: the facilitator's pick, else the newest. */
  shownRoundId: string | null
  chosen: ReadonlySet<string>
}

export interface RevealedRound {
  round: Round
  tally: Tally
  /** 1-based position among all rounds, for untitled rounds ("Ronde 2 — stippen"). */
  number: number
}

function read(doc: Y.Doc): ControlState {
  const phases = readPhases(doc)
  const phaseId = readPhaseId(doc)
  const rounds = listRounds(doc)
  const latestRound = rounds.at(-1) ?? null
  const revealedRounds = rounds.flatMap((round, i): RevealedRound[] => {
    const tally = round.status === 'revealed' ? readTally(doc, round.id) : null
    return tally ? [{ round, tally, number: i + 1 }] : []
  })
  const revealed = revealedRounds.at(-1) ?? null
  const picked = readShownRound(doc)
  const lock = readLock(doc)
  return {
    phases,
    phase: phases.find((p) => p.id === phaseId) ?? null,
    timer: readTimer(doc),
    lock,
    manualLock: lock.locked,
    lockOnTimerEnd: readLockOnTimerEnd(doc),
    keepTimerOnPhase: readKeepTimerOnPhase(doc),
    joined: readJoined(doc),
    follow: readFollow(doc),
    rounds,
    latestRound,
    revealed,
    revealedRounds,
    shownRoundId: revealedRounds.some((r) => r.round.id === picked)
      ? picked
      : (revealed?.round.id ?? null),
    chosen: new Set(readChosen(doc)),
  }
}

interface Store {
  state: ControlState | null
  listeners: Set<() => void>
}

/** One doc listener per doc: it drops the cached state before any subscriber reads again. */
const stores = new WeakMap<Y.Doc, Store>()

function storeOf(doc: Y.Doc): Store {
  let store = stores.get(doc)
  if (!store) {
    const s: Store = { state: null, listeners: new Set() }
    doc.on('update', () => {
      s.state = null
      for (const fn of [...s.listeners]) fn()
    })
    stores.set(doc, s)
    store = s
  }
  return store
}

export function readControlState(doc: Y.Doc): ControlState {
  const store = storeOf(doc)
  store.state ??= read(doc)
  return store.state
}

export function useControl(doc: Y.Doc): ControlState {
  return useSyncExternalStore(
    (fn) => {
      const store = storeOf(doc)
      store.listeners.add(fn)
      return () => store.listeners.delete(fn)
    },
    () => readControlState(doc),
  )
}
