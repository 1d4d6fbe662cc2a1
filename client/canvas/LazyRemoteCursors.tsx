/**
 * Other people's pointers, fetched as a chunk of their own while the board paints: the canvas's
 * first paint and first interaction do not need them, and a pointer drawn a moment later loses
 * nothing (the layer reads the peers' current awareness when it mounts).
 */
import { drawnWhenLoaded } from '../lib/preloadable.tsx'

export const RemoteCursors = drawnWhenLoaded(
  () => import('./RemoteCursors.tsx'),
  (m) => m.RemoteCursors,
).Component
