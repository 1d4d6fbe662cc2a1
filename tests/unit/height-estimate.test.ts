/** A card's height before it is measured, from its text (client/model/heightEstimate.ts). */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  ESTIMATE,
  HeightEstimates,
  blockLengths,
  estimateHeight,
} from '../../client/model/heightEstimate.ts'

function fragment(build: (f: Y.XmlFragment) => void): Y.XmlFragment {
  const doc = new Y.Doc()
  const f = doc.getXmlFragment('body')
  build(f)
  return f
}

const paragraph = (text: string) => {
  const p = new Y.XmlElement('paragraph')
  if (text) p.insert(0, [new Y.XmlText(text)])
  return p
}

describe('height estimate', () => {
  it('reads the length of each text block, empty paragraphs and list items included', () => {
    const f = fragment((f) => {
      const list = new Y.XmlElement('bulletList')
      const item = new Y.XmlElement('listItem')
      item.insert(0, [paragraph('twee')])
      list.insert(0, [item])
      f.insert(0, [paragraph('Meer van elkaar leren'), paragraph(''), list])
    })
    expect(blockLengths(f)).toEqual([21, 0, 4])
  })

  it('grows a line for each line of text, narrower cards wrap sooner', () => {
    const one = estimateHeight([10], 356)
    expect(estimateHeight([], 356)).toBe(ESTIMATE.chrome + ESTIMATE.line)
    expect(one).toBe(ESTIMATE.chrome + 2 * ESTIMATE.margin + ESTIMATE.line)
    // 600 characters at a 356 px column: 15 lines of 40
    expect(estimateHeight([600], 356)).toBe(one + 14 * ESTIMATE.line)
    expect(estimateHeight([600], 200)).toBeGreaterThan(estimateHeight([600], 356))
    // a second paragraph starts a line of its own; an empty one draws none
    expect(estimateHeight([10, 10], 356)).toBe(one + ESTIMATE.line + ESTIMATE.margin)
    expect(estimateHeight([10, 0], 356)).toBe(one + ESTIMATE.margin)
  })

  it('zoomed out, a card is estimated as it is drawn there: its lines, or the start of its text', () => {
    const long = [600, 300]
    expect(estimateHeight(long, 356, 'lines')).toBe(ESTIMATE.chrome + ESTIMATE.lines)
    // the summary: the first 120 characters in one paragraph, three lines of 40
    expect(estimateHeight(long, 356, 'plain')).toBe(
      ESTIMATE.chrome + 2 * ESTIMATE.margin + 3 * ESTIMATE.line,
    )
    expect(estimateHeight([10], 356, 'plain')).toBe(estimateHeight([10], 356))
  })

  it('reads a body again only once its version changed', () => {
    const f = fragment((f) => f.insert(0, [paragraph('kort')]))
    let version = 0
    let reads = 0
    const estimates = new HeightEstimates(
      () => {
        reads++
        return f
      },
      () => version,
    )
    const short = estimates.of('c', 356)
    expect(estimates.of('c', 356)).toBe(short)
    expect(reads).toBe(1)
    ;(f.get(0) as Y.XmlElement).push([paragraph('x'.repeat(200))])
    version++
    expect(estimates.of('c', 356)!).toBeGreaterThan(short!)
    expect(reads).toBe(2)
  })

  it('knows nothing of a card without a body', () => {
    expect(
      new HeightEstimates(
        () => null,
        () => 0,
      ).of('gone', 356),
    ).toBeUndefined()
  })
})
