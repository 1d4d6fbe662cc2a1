/**
 * Board toolbar: add a card to a chosen table, undo/redo, pause live updates, zoom, fit, and back
 * to a participant's own table.
 */
import { type ReactNode, useState } from 'react'
import { CardKind, type Table } from '../../shared/schema.ts'
import { useI18n } from '../i18n/index.ts'
import { useViewportScale } from '../model/useViewport.ts'
import type { UndoApi } from '../model/useUndo.ts'
import type { ViewportStore } from '../model/viewportStore.ts'
import { UndoButtons } from '../widgets/UndoButtons.tsx'

interface Props {
  tables: Table[]
  defaultTable: string | null
  readOnly: boolean
  /** The zoom level is read from here, so zooming re-renders this label only. */
  viewport: ViewportStore
  /** The person's undo: its buttons name the step, or why the server would refuse it. */
  undo: UndoApi
  onAdd(table: Table, kind: CardKind): void
  onZoomIn(): void
  onZoomOut(): void
  onFit(): void
  /** Back to the view of the person's own table; null for people without one. */
  onMyTable: (() => void) | null
  paused: boolean
  /** Remote changes held back while paused. */
  waiting: number
  onTogglePause(): void
  /** Shown last, in the same wrapping row (the drawer buttons), so no row is left half empty. */
  trailing?: ReactNode
}

const ADDABLE: CardKind[] = [CardKind.Vision, CardKind.Need]

export function Toolbar(p: Props) {
  const { t } = useI18n()
  const [kind, setKind] = useState<CardKind>(CardKind.Vision)
  const [tableId, setTableId] = useState<string>('')
  const chosen = p.tables.find((tb) => tb.id === (tableId || p.defaultTable)) ?? p.tables[0]
  const pauseName = t(p.paused ? 'live.resume' : 'live.pause')
  return (
    <div className="toolbar" role="group" aria-label={t('toolbar.label')}>
      {!p.readOnly && (
        <>
          <div className="toolbar-group">
            <label className="inline-label">
              <span>{t('toolbar.addKind')}</span>
              <select
                data-testid="toolbar-kind"
                value={kind}
                onChange={(e) => setKind(e.target.value as CardKind)}
              >
                {ADDABLE.map((k) => (
                  <option key={k} value={k}>
                    {t(`kind.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-label">
              <span>{t('toolbar.addTable')}</span>
              <select
                data-testid="toolbar-table"
                value={chosen?.id ?? ''}
                onChange={(e) => setTableId(e.target.value)}
              >
                {p.tables.map((tb) => (
                  <option key={tb.id} value={tb.id}>
                    {tb.name}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="btn btn-primary"
              data-testid="toolbar-add"
              disabled={!chosen}
              onClick={() => chosen && p.onAdd(chosen, kind)}
            >
              {t('toolbar.add')}
            </button>
          </div>
          <div className="toolbar-group">
            <UndoButtons undo={p.undo} />
          </div>
        </>
      )}
      <div className="toolbar-group">
        <button
          type="button"
          className="btn"
          data-testid="pause-live"
          aria-pressed={p.paused}
          aria-label={pauseName}
          title={pauseName}
          onClick={p.onTogglePause}
        >
          {t(p.paused ? 'live.resumeShort' : 'live.pauseShort')}
        </button>
        {p.paused && (
          <span className="live-waiting" data-testid="live-waiting">
            {t('live.waiting', { count: p.waiting })}
          </span>
        )}
      </div>
      <div className="toolbar-group">
        <button
          type="button"
          className="btn"
          aria-label={t('toolbar.zoomOut')}
          onClick={p.onZoomOut}
        >
          <span aria-hidden="true">−</span>
        </button>
        <ZoomLevel viewport={p.viewport} />
        <button type="button" className="btn" aria-label={t('toolbar.zoomIn')} onClick={p.onZoomIn}>
          <span aria-hidden="true">+</span>
        </button>
        <button type="button" className="btn" data-testid="fit" onClick={p.onFit}>
          {t('toolbar.fit')}
        </button>
        {p.onMyTable && (
          <button type="button" className="btn" data-testid="my-table" onClick={p.onMyTable}>
            {t('toolbar.myTable')}
          </button>
        )}
      </div>
      {p.trailing}
    </div>
  )
}

function ZoomLevel({ viewport }: { viewport: ViewportStore }) {
  const { t } = useI18n()
  const scale = useViewportScale(viewport)
  return (
    <span className="zoom-level">
      {t('toolbar.zoomLevel', { percent: Math.round(scale * 100) })}
    </span>
  )
}
