/** Debian's Chromium driven by playwright-core; no vitest here, so the bench can launch it too. */
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'

const REPO = path.resolve(import.meta.dirname, '../..')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** The built client; STIP_DIST lets parallel work build and test its own copy. */
export const DIST = process.env.STIP_DIST
  ? path.resolve(process.env.STIP_DIST)
  : path.join(REPO, 'dist')

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`)
  if (!fs.existsSync(path.join(DIST, 'index.html')))
    throw new Error('client not built: run npm run build')
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
}
