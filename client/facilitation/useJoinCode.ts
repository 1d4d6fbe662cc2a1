/**
 * The workshop's join code for a facilitator's screens. The facilitator link carries no join code,
 * so it is asked from the server (who-am-i) when this device does not know it yet. Apart from
 * ./JoinInfo.tsx (the QR and links), which the board's own path does not need.
 */
import { useEffect, useState } from 'react'
import { API, WhoAmIResponse } from '../../shared/api.ts'
import { apiCall } from '../lib/api.ts'
import { loadFacilitatorKey, saveJoinCode } from '../lib/session.ts'

/** `ask`: whether to ask the server at all (only a facilitator's key can). */
export function useJoinCode(workshopId: string, known: string | null, ask = true): string | null {
  const [code, setCode] = useState(known)
  useEffect(() => {
    if (code || !ask) return
    let cancelled = false
    void apiCall(API.whoami(workshopId), WhoAmIResponse, {
      token: loadFacilitatorKey(workshopId) ?? undefined,
    }).then((r) => {
      if (cancelled || !r.ok) return
      saveJoinCode(workshopId, r.data.joinCode)
      setCode(r.data.joinCode)
    })
    return () => {
      cancelled = true
    }
  }, [workshopId, code, ask])
  return code
}
