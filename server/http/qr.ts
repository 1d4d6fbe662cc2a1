/** The join link as a QR code (SVG), served from our own host for the projector. */
import type { ServerResponse } from 'node:http'
import type { IncomingMessage } from 'node:http'
import qrcode from 'qrcode-generator'
import { JoinCodeSchema, ROUTES } from '../../shared/api.ts'
import { ErrorCode } from '../../shared/protocol.ts'
import { HttpError, SECURITY_HEADERS } from './respond.ts'
import type { RouteContext } from './workshops.ts'

/** Quiet zone the QR spec asks for, in modules. */
const MARGIN = 4

export function qrSvg(text: string): string {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  const n = qr.getModuleCount()
  let path = ''
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) path += `M${c + MARGIN} ${r + MARGIN}h1v1h-1z`
  }
  const size = n + 2 * MARGIN
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`
}

export function joinQr(ctx: RouteContext, code: string, req: IncomingMessage, res: ServerResponse) {
  const parsed = JoinCodeSchema.safeParse(code)
  const w = parsed.success ? ctx.config.store.workshopByCode(parsed.data) : null
  if (!w) throw new HttpError(404, { error: ErrorCode.WorkshopNotFound, message: 'no workshop with this code' })
  const base = ctx.config.publicUrl ?? `http://${req.headers.host ?? 'localhost'}`
  const svg = qrSvg(base + ROUTES.join(w.joinCode))
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'image/svg+xml', 'Cache-Control': 'no-cache' })
  res.end(svg)
}
