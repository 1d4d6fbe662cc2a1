/**
 * Readers drop doc entries that do not parse (a doc is untrusted input); they report how many
 * here, so a dropped entry is never silent. The server subscribes a logger, the client a counter.
 * Only root names and counts pass through: never the content.
 */
export type DroppedEntrySink = (root: string, count: number) => void

const sinks = new Set<DroppedEntrySink>()

/** Subscribes; returns the unsubscribe. */
export function onDroppedEntries(sink: DroppedEntrySink): () => void {
  sinks.add(sink)
  return () => void sinks.delete(sink)
}

export function reportDropped(root: string, count: number): void {
  if (count <= 0) return
  for (const sink of sinks) sink(root, count)
}
