/** The Hocuspocus peer for the bench: a bare server, no extensions (memory only), on PORT. */
import { Server } from '@hocuspocus/server'

const port = Number(process.env.PORT)
const server = new Server({ port, address: '127.0.0.1', quiet: true })
await server.listen()
process.stdout.write(`HOCUSPOCUS_LISTENING ${port}\n`)
