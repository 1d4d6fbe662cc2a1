/** Saving a fetched file: the route needs an Authorization header, so a plain link cannot do it. */

/** Long enough for the browser to start reading the blob before its URL goes away. */
const REVOKE_DELAY_MS = 60_000

export function filenameFrom(contentDisposition: string | null, fallback: string): string {
  const match = contentDisposition?.match(/filename="?([^";]+)"?/)
  return match?.[1] ?? fallback
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS)
}
