import { describe, expect, it } from 'vitest'
import { type PendingStep, refusedStepOf } from '../../client/model/undoRefusal.ts'

const step = (barrier: number, label: string): PendingStep => ({
  which: 'undo',
  label,
  barrier,
})

describe('which undo the server refused (Notice.after)', () => {
  const steps = [step(4, 'kaart verplaatsen'), step(6, 'uitgangspunt toevoegen')]

  it('the step whose update came right after the named barrier, not the latest', () => {
    expect(refusedStepOf(steps, 3, 2)?.label).toBe('kaart verplaatsen')
    expect(refusedStepOf(steps, 5, 2)?.label).toBe('uitgangspunt toevoegen')
  })

  it('an edit after the last step is refused: no step is named, though it is not acknowledged', () => {
    // the heuristic before `after` named the latest unacknowledged step here
    expect(refusedStepOf(steps, 6, 2)).toBeNull()
    expect(refusedStepOf(steps, 4, 2)).toBeNull()
  })

  it('with no barrier yet on the socket, the latest step not acknowledged (the sync reply carries it)', () => {
    expect(refusedStepOf(steps, 0, 2)?.label).toBe('uitgangspunt toevoegen')
    expect(refusedStepOf(steps, 0, 6)).toBeNull()
  })

  it('from a server without `after`, the latest step not acknowledged', () => {
    expect(refusedStepOf(steps, undefined, 4)?.label).toBe('uitgangspunt toevoegen')
    expect(refusedStepOf(steps, undefined, 6)).toBeNull()
    expect(refusedStepOf([], undefined, 0)).toBeNull()
  })
})
