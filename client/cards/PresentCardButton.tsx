/**
 * "Toon op scherm" on a card (issue #11 point 1): the facilitator puts this card on the projector
 * from the card itself, in the present mode's spotlight scene. Pressed while the card is up there;
 * pressed again, the projector follows the meeting again. Only a facilitator's board has it (the
 * control doc is theirs to write).
 */
import { useCallback, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import { PresentScene, activePresentPick } from '../../shared/control.ts'
import { writePresent } from '../../shared/control-actions.ts'
import { useI18n } from '../i18n/index.ts'

/** Whether the facilitator's pick shows this card on the projector now. */
function useSpotlit(control: Y.Doc, cardId: string): boolean {
  const subscribe = useCallback(
    (fn: () => void) => {
      control.on('update', fn)
      return () => control.off('update', fn)
    },
    [control],
  )
  return useSyncExternalStore(subscribe, () => {
    const pick = activePresentPick(control)
    return (
      pick?.scene === PresentScene.Spotlight &&
      pick.spotlight?.kind === 'card' &&
      pick.spotlight.id === cardId
    )
  })
}

export function PresentCardButton({
  control,
  cardId,
  title,
  announce,
}: {
  control: Y.Doc
  cardId: string
  /** The card's first words, for the button's name. */
  title: string
  announce(message: string): void
}) {
  const { t } = useI18n()
  const shown = useSpotlit(control, cardId)
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid="card-present"
      aria-pressed={shown}
      aria-label={t('scene.showFor', { title })}
      onClick={() => {
        if (shown) {
          writePresent(control, { scene: null, spotlight: null })
          announce(t('scene.cardOffScreen'))
        } else {
          writePresent(control, {
            scene: PresentScene.Spotlight,
            spotlight: { kind: 'card', id: cardId },
          })
          announce(t('scene.cardOnScreen'))
        }
      }}
    >
      {t('scene.show')}
    </button>
  )
}
