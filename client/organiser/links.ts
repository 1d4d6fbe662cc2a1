/**
 * The links a facilitator hands over (issue #11 point 2), all on the address the server gives
 * participants (server/http/qr.ts): a link copied on the laptop at localhost must still open on
 * a phone or a second laptop. The facilitator link also carries the join code, so the board's
 * header on another device is complete at once.
 */
import { useEffect, useState } from 'react'
import { API, JoinLinkResponse, ROUTES } from '../../shared/api.ts'
import { apiCall } from '../lib/api.ts'
import { hashParams } from '../lib/router.ts'

/** The handover screen of a workshop: the start page with the workshop in its hash. */
export const handoverPath = (workshopId: string) => `${ROUTES.home}#handover=${workshopId}`
/** Which workshop's handover the start page shows, if any. */
export const handoverOf = (hash: string): string | null => hashParams(hash).get('handover')

export interface HandoverLinks {
  participant: string
  /** null when this device does not hold the key (it cannot hand over what it lacks). */
  facilitator: string | null
  projector: string
  /** Only this computer can open these links (no network address serves): say so. */
  loopback: boolean
}

export function facilitatorLink(origin: string, workshopId: string, key: string, code: string) {
  return `${origin}${ROUTES.facilitate(workshopId, key)}&code=${code}`
}

export function useHandoverLinks(
  workshopId: string,
  joinCode: string | null,
  key: string | null,
): HandoverLinks | null {
  const [join, setJoin] = useState<JoinLinkResponse | null>(null)
  useEffect(() => {
    if (!joinCode) return
    let cancelled = false
    void apiCall(API.joinLink(joinCode), JoinLinkResponse).then((r) => {
      if (!cancelled && r.ok) setJoin(r.data)
    })
    return () => {
      cancelled = true
    }
  }, [joinCode])
  if (!join || !joinCode) return null
  const origin = new URL(join.url).origin
  return {
    participant: join.url,
    facilitator: key ? facilitatorLink(origin, workshopId, key, joinCode) : null,
    projector: origin + ROUTES.present(workshopId, joinCode),
    loopback: join.loopback,
  }
}

/** Copies text; the Clipboard API needs a secure context, so a LAN address falls back to select. */
export async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    if (!input) return false
    input.select()
    try {
      return document.execCommand('copy')
    } catch {
      return false
    }
  }
}
