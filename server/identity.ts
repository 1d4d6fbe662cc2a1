/** Secrets and who holds them: facilitator keys, participant tokens, join codes. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Credential, Role } from '../shared/protocol.ts'
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../shared/api.ts'
import { TOKEN_BYTES } from '../shared/limits.ts'
import type { WorkshopRow } from './store/store.ts'
import type { AsyncStore } from './store/async-store.ts'

export type Random = (bytes: number) => Uint8Array
export const systemRandom: Random = (n) => randomBytes(n)

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

const base64url = (b: Uint8Array) => Buffer.from(b).toString('base64url')
export const newSecret = (random: Random) => base64url(random(TOKEN_BYTES))
/** 96-bit ids: unguessable enough to appear in URLs, short enough to read. */
export const newId = (random: Random) => base64url(random(12))

export function newJoinCode(random: Random): string {
  const bytes = random(JOIN_CODE_LENGTH)
  let code = ''
  // 256 is a multiple of the 32-letter alphabet, so modulo keeps the letters uniform.
  for (const b of bytes) code += JOIN_CODE_ALPHABET[b % JOIN_CODE_ALPHABET.length]
  return code
}

export interface Identity {
  role: Role
  participantId: string | null
  name: string | null
  tableId: string | null
  /** Set when a facilitator came in with a co-facilitator link: the row that link revokes. */
  coFacilitatorId?: string
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}

export async function resolveCredential(
  store: AsyncStore,
  workshop: WorkshopRow,
  c: Credential,
): Promise<Identity | null> {
  switch (c.kind) {
    case 'facilitator': {
      const hash = hashSecret(c.key)
      if (sameHash(hash, workshop.facilitatorKeyHash))
        return { role: 'facilitator', participantId: null, name: null, tableId: null }
      // looked up by its hash, as participant tokens are: the index compares, not our code
      const co = await store.coFacilitatorByKey(workshop.id, hash)
      return co && co.revokedAt === null
        ? {
            role: 'facilitator',
            participantId: null,
            name: null,
            tableId: null,
            coFacilitatorId: co.id,
          }
        : null
    }
    case 'participant': {
      const p = await store.participantByToken(workshop.id, hashSecret(c.token))
      return p
        ? { role: 'participant', participantId: p.id, name: p.name, tableId: p.tableId }
        : null
    }
    case 'viewer':
      return c.code.toUpperCase() === workshop.joinCode
        ? { role: 'viewer', participantId: null, name: null, tableId: null }
        : null
  }
}

/** Whether `Authorization: Bearer <key>` carries the server's organiser key (CREATE_KEY). */
export function isCreateKey(createKey: string, header: string | undefined): boolean {
  const m = /^Bearer (\S{1,512})$/.exec(header ?? '')
  return m !== null && sameHash(hashSecret(m[1]!), hashSecret(createKey))
}

const bearerSecret = (header: string | undefined): string | null =>
  /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header ?? '')?.[1] ?? null

/** Whether `Authorization: Bearer <key>` carries a co-facilitator link the facilitator revoked. */
export async function isRevokedBearer(
  store: AsyncStore,
  workshop: WorkshopRow,
  header: string | undefined,
): Promise<boolean> {
  const secret = bearerSecret(header)
  const row = secret ? await store.coFacilitatorByKey(workshop.id, hashSecret(secret)) : null
  return row !== null && row.revokedAt !== null
}

/** `Authorization: Bearer <secret>`: a facilitator key or a participant token. */
export async function resolveBearer(
  store: AsyncStore,
  workshop: WorkshopRow,
  header: string | undefined,
): Promise<Identity | null> {
  const secret = bearerSecret(header)
  if (!secret) return null
  return (
    (await resolveCredential(store, workshop, { kind: 'facilitator', key: secret })) ??
    (await resolveCredential(store, workshop, { kind: 'participant', token: secret }))
  )
}
