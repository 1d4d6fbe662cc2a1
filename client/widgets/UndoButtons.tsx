/**
 * The person's undo and redo buttons (board toolbar, list view). Each names the step it would take
 * ("Ongedaan maken: kaart verplaatsen", the step on a second, smaller line); a step the server
 * would refuse now stays named, greyed and reachable by keyboard, with the reason beside it (its
 * description), and a press says the reason instead of writing anything. A "skip" beside it drops
 * that step, so the person's steps below it are not held up by one the server will not take.
 */
import { useId } from 'react'
import { useI18n } from '../i18n/index.ts'
import { type UndoApi, undoButtonName, undoStepName } from '../model/useUndo.ts'

export function UndoButtons({ undo }: { undo: UndoApi }) {
  return (
    <>
      <UndoButton undo={undo} which="undo" />
      <UndoButton undo={undo} which="redo" />
    </>
  )
}

function UndoButton({ undo, which }: { undo: UndoApi; which: 'undo' | 'redo' }) {
  const { t } = useI18n()
  const reasonId = useId()
  const blocked = which === 'undo' ? undo.undoBlocked : undo.redoBlocked
  const can = which === 'undo' ? undo.canUndo : undo.canRedo
  const what = which === 'undo' ? undo.undoLabel : undo.redoLabel
  const name = undoButtonName(t, undo, which)
  // "Ongedaan maken: " over "kaart verplaatsen": the visible text is the name, in two lines
  const step = undoStepName(undo, which)
  const at = step ? name.lastIndexOf(step) : -1
  const lines = at > 0 ? [name.slice(0, at), name.slice(at)] : [name]
  return (
    <span className="undo-wrap">
      <button
        type="button"
        className={`btn undo-btn${blocked ? ' is-blocked' : ''}`}
        data-testid={which}
        disabled={!can && !blocked}
        aria-disabled={blocked ? true : undefined}
        aria-describedby={blocked ? reasonId : undefined}
        onClick={() => void (which === 'undo' ? undo.undo() : undo.redo())}
        title={name}
      >
        {/* the step on a line of its own: the button keeps its width whatever it names */}
        <span className="undo-main">{lines[0]}</span>
        {lines[1] && <span className="undo-what">{lines[1]}</span>}
      </button>
      {/* under the button, over the canvas: the toolbar keeps its size while a step is blocked */}
      {blocked && (
        <span className="undo-note">
          <span id={reasonId} className="undo-reason" data-testid={`${which}-blocked`}>
            {blocked}
          </span>
          <button
            type="button"
            className="btn btn-small undo-skip"
            data-testid={`${which}-skip`}
            onClick={() => void undo.skip(which)}
          >
            {what ? t('undo.skipWhat', { what }) : t('undo.skip')}
          </button>
        </span>
      )}
    </span>
  )
}
