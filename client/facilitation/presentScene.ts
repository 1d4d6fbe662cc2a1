/**
 * Which scene the projector shows (issue #11 point 1). The meeting decides by default: an open
 * round shows the voting, a phase shows the scene its name speaks of (welcome: how to join; voting;
 * the point on the horizon and closing: the outcome; any other phase: the tables' cards), and a
 * revealed round its results. The facilitator's pick overrides that until the phase changes or a
 * round moves on (shared/control.ts, activePresentPick). While follow-me is on, the board shows.
 */
import { useMemo } from 'react'
import type * as Y from 'yjs'
import {
  PRESENT_SCENES,
  type Phase,
  PresentScene,
  type Spotlight,
  activePresentPick,
  readPresent,
} from '../../shared/control.ts'
import { type ControlState, useControl } from '../model/useControl.ts'

/** Phase names (Dutch and English, as the agenda templates and facilitators write them). */
const PHASE_SCENES: readonly [RegExp, PresentScene][] = [
  [/welko|welcom|inloop|opening|intro|start/i, PresentScene.Join],
  [/stem|vot|kiez|keuze|choos|choice/i, PresentScene.Voting],
  [/horizon|afslu|slot|clos|uitkomst|outcome|result|conclu|afsprak|wrap/i, PresentScene.Outcome],
]

export interface SceneChoice {
  scene: PresentScene
  /** The facilitator picked it (else the meeting's state did). */
  picked: boolean
  spotlight: Spotlight | null
  perTable: boolean
}

const nameScene = (phase: Phase): PresentScene =>
  PHASE_SCENES.find(([re]) => re.test(phase.name))?.[1] ?? PresentScene.Tables

/** The scene the meeting's state asks for, without a pick. */
export function meetingScene(control: Pick<ControlState, 'phase' | 'latestRound'>): PresentScene {
  const round = control.latestRound
  if (round?.status === 'open') return PresentScene.Voting
  const revealed = round?.status === 'revealed'
  if (!control.phase) return revealed ? PresentScene.Results : PresentScene.Join
  const scene = nameScene(control.phase)
  if (scene === PresentScene.Voting && revealed) return PresentScene.Results
  return scene
}

export function sceneChoice(
  doc: Y.Doc,
  control: Pick<ControlState, 'phase' | 'latestRound' | 'follow'>,
): SceneChoice {
  const pick = activePresentPick(doc)
  const perTable = readPresent(doc).perTable
  // "Volg mij": the room sees the board through the facilitator's eyes, whatever scene was up;
  // turning it off brings the scenes back
  if (control.follow.active)
    return { scene: PresentScene.Board, picked: false, spotlight: null, perTable }
  if (pick?.scene && (pick.scene !== PresentScene.Spotlight || pick.spotlight))
    return { scene: pick.scene, picked: true, spotlight: pick.spotlight, perTable }
  return { scene: meetingScene(control), picked: false, spotlight: null, perTable }
}

export function usePresentChoice(doc: Y.Doc): SceneChoice {
  const control = useControl(doc)
  // control is re-read on every change of the doc, so it stands for the pick too
  return useMemo(() => sceneChoice(doc, control), [doc, control])
}

/** The scene before or after `scene` in the walking order (wrapping round, spotlight skipped without a target). */
export function neighbourScene(
  scene: PresentScene,
  delta: -1 | 1,
  hasSpotlight: boolean,
): PresentScene {
  const order = PRESENT_SCENES.filter((s) => hasSpotlight || s !== PresentScene.Spotlight)
  const i = order.indexOf(scene)
  return order[(i + delta + order.length) % order.length] ?? scene
}
