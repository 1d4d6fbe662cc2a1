/**
 * Server notices as dismissible toasts, translated by code. A refused edit says what was refused
 * (the notice names the doc root) and offers to keep it on this device or to discard it.
 * Room cues (a round opened, a summons, a restore) stack above them: not a live region, because
 * the announcer already says them once.
 */
import { useId, useState } from 'react'
import { ErrorCode } from '../../shared/protocol.ts'
import { BOARD_ROOT } from '../../shared/schema.ts'
import { errorKey, type MessageKey, useI18n } from '../i18n/index.ts'
import type { BoardNotice } from '../model/undoRefusal.ts'
import type { RoomCue } from '../model/useControlAnnouncements.ts'
import type { ShownCue } from '../model/roomCues.ts'
import { ToastStack } from './ToastStack.tsx'

const REFUSED_ROOTS: readonly string[] = Object.values(BOARD_ROOT)

function refusedKey(root: string): MessageKey {
  return REFUSED_ROOTS.includes(root)
    ? (`notice.refused.${root}` as MessageKey)
    : 'notice.refused.other'
}

export interface CueProps {
  cues: ShownCue[]
  dismiss(key: number): void
  /** The round cue's action: open the drawer with the ballot. */
  toRound(): void
}

interface Props {
  notices: BoardNotice[]
  dismiss(key: number): void
  cues?: CueProps
}

export function Notices({ notices, dismiss, cues }: Props) {
  return (
    <ToastStack
      cues={cues && <CueToasts {...cues} />}
      notices={<NoticeItems notices={notices} dismiss={dismiss} />}
    />
  )
}

/** The room cues' stack (not a live region: the announcer says each cue once). */
export function CueToasts({ cues, dismiss, toRound }: CueProps) {
  const { t } = useI18n()
  if (cues.length === 0) return null
  return (
    <div className="toasts cue-toasts" role="region" aria-label={t('cue.heading')}>
      {cues.map((c) => (
        <CueToast key={c.key} cue={c.cue} dismiss={() => dismiss(c.key)} toRound={toRound} />
      ))}
    </div>
  )
}

function cueText(cue: RoomCue, t: ReturnType<typeof useI18n>['t']): string {
  switch (cue.kind) {
    case 'round':
      return t(cue.ongoing ? 'cue.roundOngoing' : 'cue.round')
    case 'summon':
      return t('cue.summon')
    case 'restore':
      return cue.label ? t('cue.restoreLabel', { label: cue.label }) : t('cue.restore')
  }
}

function CueToast({ cue, dismiss, toRound }: { cue: RoomCue; dismiss(): void; toRound(): void }) {
  const { t } = useI18n()
  return (
    <div className="toast cue-toast" data-testid="room-cue" data-kind={cue.kind}>
      <p>{cueText(cue, t)}</p>
      {cue.kind === 'round' && (
        <button
          type="button"
          className="btn btn-small"
          data-testid="cue-to-round"
          onClick={toRound}
        >
          {t('cue.roundAction')}
        </button>
      )}
      <button
        type="button"
        className="btn btn-small"
        aria-label={t('cue.dismiss')}
        onClick={dismiss}
      >
        <span aria-hidden="true">×</span>
      </button>
    </div>
  )
}

/** The server notices, drawn inside the polite live region of their ToastStack. */
export function NoticeItems({
  notices,
  dismiss,
}: {
  notices: BoardNotice[]
  dismiss(key: number): void
}) {
  const { t } = useI18n()
  return (
    <>
      {notices.map((n) =>
        n.code === ErrorCode.Forbidden ? (
          <RefusedEdit key={n.key} notice={n} dismiss={() => dismiss(n.key)} />
        ) : n.code === ErrorCode.Diverged ? (
          <Diverged key={n.key} notice={n} />
        ) : (
          <div key={n.key} className="toast" data-testid="notice" data-code={n.code}>
            <p>{t(errorKey(n.code))}</p>
            <button
              type="button"
              className="btn btn-small"
              aria-label={t('notice.dismiss')}
              onClick={() => dismiss(n.key)}
            >
              <span aria-hidden="true">×</span>
            </button>
          </div>
        ),
      )}
    </>
  )
}

function RefusedEdit({ notice, dismiss }: { notice: BoardNotice; dismiss(): void }) {
  const { t } = useI18n()
  const hint = useId()
  if (notice.refusedStep) return <RefusedStep notice={notice} dismiss={dismiss} />
  return (
    <div className="toast" data-testid="notice" data-code={notice.code} data-root={notice.message}>
      <p>{t(refusedKey(notice.message))}</p>
      <p id={hint} className="toast-hint">
        {t('notice.discardHint')}
      </p>
      <div className="toast-actions">
        <button
          type="button"
          className="btn btn-small"
          aria-describedby={hint}
          data-testid="keep-local"
          onClick={dismiss}
        >
          {t('notice.keepLocal')}
        </button>
        {notice.discard && (
          <button
            type="button"
            className="btn btn-small"
            aria-describedby={hint}
            data-testid="discard-local"
            onClick={notice.discard}
          >
            {t('notice.discard')}
          </button>
        )}
      </div>
    </div>
  )
}

/**
 * An undo (or redo) the server refused: this tab now shows what the board does not, so the way
 * on is the board as the server has it (the discard), said in so many words.
 */
function RefusedStep({ notice, dismiss }: { notice: BoardNotice; dismiss(): void }) {
  const { t } = useI18n()
  const hint = useId()
  const step = notice.refusedStep
  if (!step) return null
  const what = step.label ?? t('undo.kind.other')
  return (
    <div
      className="toast toast-refused-step"
      data-testid="notice"
      data-code={notice.code}
      data-root={notice.message}
      data-refused-step={step.which}
    >
      <p>
        <strong>
          {t(step.which === 'undo' ? 'undo.refusedUndo' : 'undo.refusedRedo', { what })}
        </strong>{' '}
        {t(refusedKey(notice.message))}
      </p>
      <p id={hint} className="toast-hint">
        {t('undo.refusedHint')}
      </p>
      <div className="toast-actions">
        {notice.discard && (
          <button
            type="button"
            className="btn btn-small btn-primary"
            aria-describedby={hint}
            data-testid="discard-local"
            onClick={notice.discard}
          >
            {t('undo.refusedReload')}
          </button>
        )}
        <button type="button" className="btn btn-small" data-testid="keep-local" onClick={dismiss}>
          {t('undo.refusedLater')}
        </button>
      </div>
    </div>
  )
}

/**
 * This tab holds others' edits the server lost: it stays until the board is reloaded, since
 * dismissing it would leave the person looking at work nobody else sees.
 */
function Diverged({ notice }: { notice: BoardNotice }) {
  const { t } = useI18n()
  const [saving, setSaving] = useState(false)
  return (
    <div className="toast" data-testid="notice" data-code={notice.code}>
      <p>{t('error.DIVERGED')}</p>
      {notice.discard && (
        <div className="toast-actions">
          <button
            type="button"
            className="btn btn-small btn-primary"
            data-testid="diverged-reload"
            aria-busy={saving}
            disabled={saving}
            onClick={() => {
              setSaving(true)
              notice.discard?.()
            }}
          >
            {t(saving ? 'notice.divergedSaving' : 'notice.divergedReload')}
          </button>
        </div>
      )}
    </div>
  )
}
