/**
 * "Mijn workshops" on the start page: the workshops this device holds a key or a session for,
 * with title, date and role; open, hand over again (facilitator) or forget. Titles and dates are
 * refreshed from the server; a workshop the server no longer has is marked deleted.
 */
import { useEffect, useId, useState } from 'react'
import { API, ROUTES, WorkshopInfo } from '../../shared/api.ts'
import { useI18n } from '../i18n/index.ts'
import { apiCall } from '../lib/api.ts'
import { navigate } from '../lib/router.ts'
import { ConfirmDialog } from '../widgets/ConfirmDialog.tsx'
import { forgetWorkshop } from './forget.ts'
import { type MyWorkshop, listMyWorkshops, saveWorkshopMeta } from './myWorkshops.ts'
import { handoverPath } from './links.ts'
import './handover.css'

/** The board of the role this device holds; the key or session comes from storage, not the link. */
const openPath = (w: MyWorkshop) =>
  w.role === 'facilitator' ? `${ROUTES.board(w.id)}/facilitate` : ROUTES.board(w.id)

function Go({ to, children, testId }: { to: string; children: string; testId?: string }) {
  return (
    <a
      className="btn"
      href={to}
      data-testid={testId}
      onClick={(e) => {
        e.preventDefault()
        navigate(to)
      }}
    >
      {children}
    </a>
  )
}

export function MyWorkshops() {
  const { t, lang } = useI18n()
  const headingId = useId()
  const [items, setItems] = useState(listMyWorkshops)
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set())
  const [forgetting, setForgetting] = useState<MyWorkshop | null>(null)

  useEffect(() => {
    let live = true
    for (const w of listMyWorkshops()) {
      void apiCall(API.workshop(w.id), WorkshopInfo, { token: w.secret }).then((r) => {
        if (!live) return
        if (r.ok) {
          saveWorkshopMeta(w.id, { title: r.data.title, createdAt: r.data.createdAt })
          setItems(listMyWorkshops())
        } else if (r.error === 'WORKSHOP_NOT_FOUND') {
          setGone((s) => new Set([...s, w.id]))
        }
      })
    }
    return () => {
      live = false
    }
  }, [])

  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <section aria-labelledby={headingId} className="panel" data-testid="my-workshops">
      <h2 id={headingId}>{t('mine.heading')}</h2>
      {items.length === 0 ? (
        <p className="hint">{t('mine.empty')}</p>
      ) : (
        <ul className="my-workshops">
          {items.map((w) => {
            const title = w.meta?.title || t('mine.untitled')
            return (
              <li key={w.id} className="my-workshop" data-testid={`my-workshop-${w.id}`}>
                <div>
                  <div className="my-workshop-title">{title}</div>
                  <div className="hint">
                    {w.meta && <span>{date.format(w.meta.createdAt)} · </span>}
                    <span>{t(`mine.role.${w.role}`)}</span>
                    {gone.has(w.id) && (
                      <span className="my-workshop-gone"> · {t('mine.gone')}</span>
                    )}
                  </div>
                </div>
                <div className="my-workshop-actions" role="group" aria-label={title}>
                  {!gone.has(w.id) && <Go to={openPath(w)}>{t('mine.open')}</Go>}
                  {!gone.has(w.id) && w.role === 'facilitator' && (
                    <Go to={handoverPath(w.id)}>{t('mine.links')}</Go>
                  )}
                  <button type="button" className="btn" onClick={() => setForgetting(w)}>
                    {t('mine.forget')}
                  </button>
                </div>
              </li>
            )
          })}
        </ul>
      )}
      <p className="hint">{t('mine.recover')}</p>
      <ConfirmDialog
        open={forgetting !== null}
        title={t('mine.forgetConfirm', { title: forgetting?.meta?.title || t('mine.untitled') })}
        confirmLabel={t('mine.forget')}
        onConfirm={() => {
          if (forgetting) forgetWorkshop(forgetting.id)
          setForgetting(null)
          setItems(listMyWorkshops())
        }}
        onCancel={() => setForgetting(null)}
      >
        <p>
          {forgetting?.role === 'facilitator'
            ? t('mine.forgetFacilitator')
            : t('mine.forgetParticipant')}
        </p>
      </ConfirmDialog>
    </section>
  )
}
