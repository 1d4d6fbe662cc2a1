/**
 * What every screen of a live board sets up the same way (the canvas and the list view): the
 * board model, whether this person may write now, the card being edited and its presence, the
 * announcer, the notices, the person's one undo with its keys, and the editor chunk fetched once
 * the screen is up. Each screen adds what is its own (viewport, drawers, cues, announcements).
 */
import {
  type Dispatch,
  type SetStateAction,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react'
import type { CardWriter } from '../../shared/permissions.ts'
import { Role } from '../../shared/protocol.ts'
import type { Table } from '../../shared/schema.ts'
import type { WorkshopConnection } from '../sync/connection.ts'
import { type PresenceUser, setEditing, setPresenceUser, useSelfPerson } from '../sync/presence.ts'
import { useNotices } from '../sync/useWorkshop.ts'
import { useAnnouncer } from './announcer.ts'
import type { BoardIdentity } from './identity.ts'
import { type BoardModel, type BoardShape, useBoardModel, useBoardShape } from './model.ts'
import { useControl } from './useControl.ts'
import { useEditorsByCard } from './useEditorsByCard.ts'
import { type BoardNotice, useUndoRefusal } from './undoRefusal.ts'
import { type UndoApi, useUndo } from './useUndo.ts'

/** Let the screen paint first, then fetch the editor chunk in the background. */
const EDITOR_PRELOAD_DELAY_MS = 500

/** Presence for the editor when the screen has no user of its own (never shown: no presence). */
const NOBODY: PresenceUser = { name: '', color: '#37474f', table: null }

/** A key pressed here belongs to the field (typing, its own undo), not to the board. */
export const editableTarget = (el: EventTarget | null) =>
  el instanceof HTMLElement &&
  (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))

export interface BoardSession {
  /** The board's read model; screens subscribe to what they draw. */
  model: BoardModel
  /** Tables, meta and which cards exist: what the session itself re-renders on. */
  shape: BoardShape
  /** The control doc's lock (the server also sets it when the timer runs out with lock-on-end). */
  locked: boolean
  /** No board writes from this person now: a viewer, a read-only link, or locked for participants. */
  readOnly: boolean
  /** This person's presence, or a stand-in for a screen without one. */
  user: PresenceUser
  editingId: string | null
  setEditingId: Dispatch<SetStateAction<string | null>>
  announcement: ReturnType<typeof useAnnouncer>['announcement']
  announce(message: string): void
  /** Server notices; a refused undo says which step it was. */
  notices: BoardNotice[]
  dismiss(key: number): void
  /** The person's one undo; undo() and redo() announce what they did. */
  undo: UndoApi
  editorsByCard: ReadonlyMap<string, string>
  /** The latest tables, for callbacks that must not re-subscribe on every change. */
  getTables(): Table[]
}

export function useBoardSession(
  conn: WorkshopConnection,
  identity: BoardIdentity,
  /** Fetches the editor's chunk (the cards layer's loader; the model layer cannot import it). */
  preloadEditor: () => Promise<unknown>,
): BoardSession {
  const doc = conn.board
  const awareness = conn.awareness
  const model = useBoardModel(doc)
  const shape = useBoardShape(model)
  // the server refuses participants' board writes while locked; the screens hide the affordances
  const locked = useControl(conn.control).lock.locked
  const readOnly =
    identity.mode === 'viewer' ||
    conn.welcome?.readOnly === true ||
    (identity.mode === 'participant' && locked)
  const [editingId, setEditingId] = useState<string | null>(null)
  const { announcement, announce } = useAnnouncer()
  const raw = useNotices(conn)
  const refusal = useUndoRefusal(conn, raw.notices)
  const { notices } = refusal
  const dismiss = raw.dismiss
  const facilitator = identity.mode === 'facilitator'
  const ownTable = identity.user?.table ?? null
  // whom the server judges the undo's writes as (a viewer writes nothing)
  const who = useMemo<CardWriter | null>(
    () =>
      identity.mode === 'viewer'
        ? null
        : {
            role: facilitator ? Role.Facilitator : Role.Participant,
            participantId: facilitator ? null : identity.author,
            tableId: facilitator ? null : ownTable,
          },
    [identity.mode, facilitator, identity.author, ownTable],
  )
  const undo = useUndo(doc, { announce, who, onStep: refusal.onStep })
  const editorsByCard = useEditorsByCard(awareness)
  const tablesRef = useRef<Table[]>(shape.tables)
  tablesRef.current = shape.tables
  const getTables = useCallback(() => tablesRef.current, [])

  // presence: who we are (with the server's key for us, so our other tabs group with this one);
  // the projector stays invisible
  const user = identity.user
  const selfPerson = useSelfPerson(conn)
  useEffect(() => {
    setPresenceUser(awareness, user && selfPerson ? { ...user, person: selfPerson } : user)
  }, [awareness, user, selfPerson])
  useEffect(() => {
    setEditing(awareness, editingId)
  }, [awareness, editingId])
  // a card deleted while we edit it, or the board locked: leave edit mode
  useEffect(() => {
    if (editingId && (readOnly || !shape.ids.includes(editingId))) setEditingId(null)
  }, [shape.ids, editingId, readOnly])

  // fetch the editor once the screen is up, so editing still works if the connection drops
  const preload = useRef(preloadEditor)
  useEffect(() => {
    if (readOnly) return
    const timer = setTimeout(() => void preload.current().catch(() => {}), EDITOR_PRELOAD_DELAY_MS)
    return () => clearTimeout(timer)
  }, [readOnly])

  // undo/redo keys, unless typing in a field or the editor (which drives the same undo itself)
  useEffect(() => {
    if (readOnly) return
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || editableTarget(e.target)) return
      const key = e.key.toLowerCase()
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault()
        undo.undo()
      } else if ((key === 'z' && e.shiftKey) || key === 'y') {
        e.preventDefault()
        undo.redo()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [readOnly, undo])

  return {
    model,
    shape,
    locked,
    readOnly,
    user: user ?? NOBODY,
    editingId,
    setEditingId,
    announcement,
    announce,
    notices,
    dismiss,
    undo,
    editorsByCard,
    getTables,
  }
}
