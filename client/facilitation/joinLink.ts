/** The join link as the server chose it (see server/http/qr.ts): the projector's and the join scene's. */
import { useEffect, useState } from 'react'
import { API, JoinLinkResponse } from '../../shared/api.ts'
import { apiCall } from '../lib/api.ts'

export function useJoinLink(code: string | null): JoinLinkResponse | null {
  const [link, setLink] = useState<JoinLinkResponse | null>(null)
  useEffect(() => {
    if (!code) return
    let cancelled = false
    void apiCall(API.joinLink(code), JoinLinkResponse).then((r) => {
      if (!cancelled && r.ok) setLink(r.data)
    })
    return () => {
      cancelled = true
    }
  }, [code])
  return link
}

/** What people type: no scheme, no trailing slash. */
export const shortUrl = (url: string) => url.replace(/^https?:\/\//, '').replace(/\/$/, '')
