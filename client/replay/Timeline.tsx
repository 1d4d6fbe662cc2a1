/**
 * The replay timeline: a range input in epoch milliseconds, play/pause, speed, steps between
 * markers, and the markers themselves as buttons (phase changes, voting rounds, snapshots).
 */
import { type KeyboardEvent, useEffect, useRef } from 'react'
import type { Marker } from '../../shared/history.ts'
import { useI18n } from '../i18n/index.ts'
import { formatDateTime, formatTime } from '../lib/replay-format.ts'
import { SPEEDS, type Speed } from './useReplay.ts'

/** An arrow key moves this share of the meeting; Page Up/Down ten times as much. */
const ARROW_SHARE = 1 / 100
const MIN_ARROW_MS = 1_000
/** Markers closer than this to the current time count as "here" when stepping. */
const MARKER_EPSILON_MS = 1

interface Props {
  start: number
  end: number
  time: number
  playing: boolean
  speed: Speed
  markers: Marker[]
  onSeek(time: number): void
  /** A marker was chosen (button or previous/next). */
  onMarker(marker: Marker): void
  onTogglePlay(): void
  onSpeed(speed: Speed): void
}

export function Timeline(p: Props) {
  const { t, lang } = useI18n()
  const inputRef = useRef<HTMLInputElement>(null)
  const onSeekRef = useRef(p.onSeek)
  onSeekRef.current = p.onSeek
  const span = Math.max(0, p.end - p.start)
  const step = Math.max(MIN_ARROW_MS, span * ARROW_SHARE)

  // native listeners: the value may be set by script (tests, assistive tech) as well as by hand
  useEffect(() => {
    const el = inputRef.current
    if (!el) return
    const onValue = () => onSeekRef.current(Number(el.value))
    el.addEventListener('input', onValue)
    el.addEventListener('change', onValue)
    return () => {
      el.removeEventListener('input', onValue)
      el.removeEventListener('change', onValue)
    }
  }, [])
  // uncontrolled input kept in step with play and marker jumps
  useEffect(() => {
    const el = inputRef.current
    if (el && Number(el.value) !== p.time) el.value = String(p.time)
  }, [p.time])

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const moves: Record<string, number> = {
      ArrowLeft: -step,
      ArrowDown: -step,
      ArrowRight: step,
      ArrowUp: step,
      PageDown: -10 * step,
      PageUp: 10 * step,
    }
    let target: number | null = null
    if (e.key in moves) target = p.time + (moves[e.key] ?? 0)
    else if (e.key === 'Home') target = p.start
    else if (e.key === 'End') target = p.end
    if (target === null) return
    e.preventDefault()
    p.onSeek(Math.min(p.end, Math.max(p.start, Math.round(target))))
  }

  const prev = [...p.markers].reverse().find((m) => m.time < p.time - MARKER_EPSILON_MS)
  const next = p.markers.find((m) => m.time > p.time + MARKER_EPSILON_MS)
  const markerText = (m: Marker) => t(`replay.marker.${m.kind}`, { label: m.label })
  const position = (time: number) => (span === 0 ? 0 : ((time - p.start) / span) * 100)

  return (
    <div className="timeline">
      <div className="timeline-controls">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="replay-play"
          aria-pressed={p.playing}
          onClick={p.onTogglePlay}
        >
          {p.playing ? t('replay.pause') : t('replay.play')}
        </button>
        <label className="inline-label">
          <span>{t('replay.speed')}</span>
          <select
            data-testid="replay-speed"
            value={p.speed}
            onChange={(e) => p.onSpeed(Number(e.target.value) as Speed)}
          >
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {t('replay.speedOption', { speed: s })}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn"
          data-testid="replay-prev-marker"
          disabled={!prev}
          onClick={() => prev && p.onMarker(prev)}
        >
          {t('replay.prevMarker')}
        </button>
        <button
          type="button"
          className="btn"
          data-testid="replay-next-marker"
          disabled={!next}
          onClick={() => next && p.onMarker(next)}
        >
          {t('replay.nextMarker')}
        </button>
        <p className="timeline-time" data-testid="replay-time" aria-live="off">
          <time dateTime={new Date(p.time).toISOString()}>{formatDateTime(lang, p.time)}</time>
        </p>
      </div>
      <div className="timeline-track">
        <label htmlFor="replay-scrubber" className="visually-hidden">
          {t('replay.scrubber')}
        </label>
        <input
          ref={inputRef}
          id="replay-scrubber"
          type="range"
          data-testid="replay-scrubber"
          min={p.start}
          max={p.end}
          step="any"
          defaultValue={p.time}
          aria-valuetext={formatDateTime(lang, p.time)}
          aria-describedby="replay-scrubber-help"
          onKeyDown={onKeyDown}
        />
        <div className="timeline-ticks" aria-hidden="true">
          {p.markers.map((m, i) => (
            <span
              key={i}
              className={`timeline-tick tick-${m.kind}`}
              style={{ left: `${position(m.time)}%` }}
              title={markerText(m)}
            />
          ))}
        </div>
        <p id="replay-scrubber-help" className="hint">
          {t('replay.scrubberHelp')}
        </p>
      </div>
      {p.markers.length > 0 ? (
        <ol
          className="timeline-markers"
          aria-label={t('replay.markers')}
          data-testid="replay-markers"
        >
          {p.markers.map((m, i) => (
            <li key={i}>
              <button
                type="button"
                className={`btn btn-small marker marker-${m.kind}`}
                aria-current={Math.abs(m.time - p.time) <= MARKER_EPSILON_MS ? 'step' : undefined}
                onClick={() => p.onMarker(m)}
              >
                <span className="marker-time">{formatTime(lang, m.time)}</span> {markerText(m)}
              </button>
            </li>
          ))}
        </ol>
      ) : (
        <p className="hint">{t('replay.noMarkers')}</p>
      )}
    </div>
  )
}
