/**
 * The toasts (server notices and room cues), fetched as a chunk of their own while the board
 * paints. Nothing is lost while it is on its way: the notices and cues are the board's state
 * (useNotices, useRoomCues), so one that arrived before the chunk shows as soon as it is here.
 * Their texts are in the screens' part of the catalogue and come with the chunk.
 */
import { loadWithTexts } from '../i18n/index.ts'
import { drawnWhenLoaded } from '../lib/preloadable.tsx'

export const Notices = drawnWhenLoaded(
  loadWithTexts(() => import('./Notices.tsx')),
  (m) => m.Notices,
).Component
