/**
 * The facilitator's hold on the projector (issue #11 point 1): what the room sees now and why,
 * previous and next scene, any scene by name, a card, task or result put on the screen, the
 * results per table or in total (mirrored on the projector), and a live preview of the screen.
 */
import { useId, useState } from 'react'
import type * as Y from 'yjs'
import { ROUTES } from '../../shared/api.ts'
import { PRESENT_SCENES, PresentScene, type Spotlight } from '../../shared/control.ts'
import { writePresent } from '../../shared/control-actions.ts'
import { plainText } from '../../shared/richtext.ts'
import { cardBody, listCards } from '../../shared/schema.ts'
import type { Task } from '../../shared/tasks.ts'
import { useI18n } from '../i18n/index.ts'
import { useJoinCode } from './useJoinCode.ts'
import { neighbourScene, usePresentChoice } from './presentScene.ts'
import './scene-controls.css'

interface Props {
  control: Y.Doc
  board: Y.Doc
  workshopId: string
  joinCode: string | null
  tasks: Task[]
  hasResults: boolean
}

/** A card's name in a list: its first words. */
const CARD_LABEL_CHARS = 60

function cardOptions(board: Y.Doc): { id: string; label: string }[] {
  return listCards(board).flatMap((c) => {
    const f = cardBody(board, c.id)
    const text = f ? plainText(f).replace(/\s+/g, ' ').trim() : ''
    if (!text) return []
    const label = text.length > CARD_LABEL_CHARS ? `${text.slice(0, CARD_LABEL_CHARS)}…` : text
    return [{ id: c.id, label }]
  })
}

export function SceneControls(p: Props) {
  const { t } = useI18n()
  const headingId = useId()
  const pickId = useId()
  const cardId = useId()
  const taskId = useId()
  const choice = usePresentChoice(p.control)
  // the facilitator's link carries no join code: asked from the server when unknown here
  const joinCode = useJoinCode(p.workshopId, p.joinCode)
  // read when the list is opened, not on every card move
  const [cards, setCards] = useState(() => cardOptions(p.board))
  const [card, setCard] = useState('')
  const [task, setTask] = useState('')
  const [preview, setPreview] = useState(false)
  const show = (scene: PresentScene, spotlight: Spotlight | null = choice.spotlight) =>
    writePresent(p.control, { scene, spotlight })
  const step = (delta: -1 | 1) =>
    show(neighbourScene(choice.scene, delta, choice.spotlight !== null))

  return (
    <section className="side-section scene-controls" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('scene.heading')}</h3>
      <p className="scene-now" aria-live="polite" data-testid="scene-now" data-scene={choice.scene}>
        {t('scene.label')}: <strong>{t(`scene.${choice.scene}`)}</strong>
        {' · '}
        <span className="hint">{choice.picked ? t('scene.pickedNote') : t('scene.follows')}</span>
      </p>
      <div className="button-row">
        <button type="button" className="btn" onClick={() => step(-1)}>
          {t('scene.prev')}
        </button>
        <button type="button" className="btn" onClick={() => step(1)}>
          {t('scene.next')}
        </button>
        {choice.picked && (
          <button
            type="button"
            className="btn"
            onClick={() => writePresent(p.control, { scene: null, spotlight: null })}
          >
            {t('scene.followPhase')}
          </button>
        )}
      </div>
      <div className="inline-form">
        <label htmlFor={pickId} className="inline-label">
          {t('scene.pick')}
        </label>
        <select
          id={pickId}
          value={choice.scene}
          onChange={(e) => {
            const scene = PRESENT_SCENES.find((s) => s === e.target.value)
            if (scene) show(scene)
          }}
        >
          {PRESENT_SCENES.filter(
            (s) => s !== PresentScene.Spotlight || choice.spotlight !== null,
          ).map((s) => (
            <option key={s} value={s}>
              {t(`scene.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {p.hasResults && (
        <div className="button-row">
          <button type="button" className="btn" onClick={() => show(PresentScene.Results)}>
            {t('scene.showResult')}
          </button>
          <button
            type="button"
            className="btn"
            aria-pressed={choice.perTable}
            onClick={() => writePresent(p.control, { perTable: !choice.perTable })}
          >
            {t('vote.perTable')}
          </button>
        </div>
      )}
      <div className="inline-form">
        <label htmlFor={cardId} className="inline-label">
          {t('scene.showCard')}
        </label>
        <select
          id={cardId}
          value={card}
          onFocus={() => setCards(cardOptions(p.board))}
          onChange={(e) => setCard(e.target.value)}
        >
          <option value="">{t('scene.choose')}</option>
          {cards.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn"
          disabled={!card}
          onClick={() => show(PresentScene.Spotlight, { kind: 'card', id: card })}
        >
          {t('scene.show')}
        </button>
      </div>
      <div className="inline-form">
        <label htmlFor={taskId} className="inline-label">
          {t('scene.showTask')}
        </label>
        <select id={taskId} value={task} onChange={(e) => setTask(e.target.value)}>
          <option value="">{t('scene.choose')}</option>
          {p.tasks.map((tk) => (
            <option key={tk.id} value={tk.id}>
              {tk.title}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn"
          disabled={!task}
          onClick={() => show(PresentScene.Spotlight, { kind: 'task', id: task })}
        >
          {t('scene.show')}
        </button>
      </div>
      {joinCode && (
        <details className="scene-preview" onToggle={(e) => setPreview(e.currentTarget.open)}>
          <summary>{t('scene.preview')}</summary>
          {/* the projector's own page: what the room sees, not a copy of it */}
          {preview && (
            <div className="scene-preview-box">
              <iframe
                title={t('scene.previewFrame')}
                src={ROUTES.present(p.workshopId, joinCode)}
                data-testid="scene-preview"
              />
            </div>
          )}
        </details>
      )}
    </section>
  )
}
