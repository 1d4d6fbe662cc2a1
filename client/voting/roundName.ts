/** A round's display name: its title, or its number and kind when the facilitator gave none. */
import type { Round } from '../../shared/control.ts'
import type { Translate } from '../i18n/index.ts'

export function roundName(t: Translate, round: Round, number: number): string {
  return (
    round.title || t('vote.untitledRound', { n: number, kind: t(`vote.kindShort.${round.kind}`) })
  )
}
