/**
 * Several Stip instances on one PostgreSQL behind a real load balancer (haproxy), each a child
 * process of server/main.ts that tests can SIGKILL, SIGSTOP and SIGCONT.
 */
import pg from 'pg'
import { type ChildServer, startChildServer, tempDir } from './server.ts'
import { type LoadBalancer, startLoadBalancer } from './haproxy.ts'
import type { TestPostgres } from './postgres.ts'
import type { Track } from './lifecycle.ts'

export interface Instance extends ChildServer {
  name: string
}

export interface TestCluster {
  instances: Instance[]
  lb: LoadBalancer
  /** The schema all instances share. */
  schema: string
  /** A client of the cluster's database, for checks (owner rows, ending lock sessions). */
  db: pg.Pool
  /** The instance holding the workshop's lease, by its owner row. */
  ownerOf(workshopId: string): Promise<Instance | null>
  /** Ends the instance's lock session in the database, as a network cut would. */
  cutLockSession(instance: Instance): Promise<number>
}

export const CLUSTER_SECRET = 'test-cluster-secret-0123456789abcdef'

export async function startCluster(
  postgres: TestPostgres,
  track: Track,
  count = 2,
): Promise<TestCluster> {
  const schema = postgres.schema('cluster')
  const instances: Instance[] = []
  for (let i = 0; i < count; i++) {
    const name = `stip-${String.fromCharCode(97 + i)}`
    const child = await startChildServer(tempDir(), 0, {
      STORE: 'postgres',
      DATABASE_URL: postgres.url,
      DATABASE_SCHEMA: schema,
      INSTANCE_ID: name,
      CLUSTER_SECRET,
    })
    track(() => child.kill())
    instances.push({ ...child, name })
  }
  const lb = await startLoadBalancer(
    instances.map((s) => ({ name: s.name, address: `127.0.0.1:${s.port}` })),
  )
  track(() => lb.stop())
  const db = new pg.Pool({ connectionString: postgres.url, options: `-c search_path=${schema}` })
  track(() => db.end())
  return {
    instances,
    lb,
    schema,
    db,
    async ownerOf(workshopId) {
      const { rows } = await db.query<{ instance_id: string }>(
        'SELECT instance_id FROM workshop_owners WHERE workshop_id = $1',
        [workshopId],
      )
      return instances.find((s) => s.name === rows[0]?.instance_id) ?? null
    },
    async cutLockSession(instance) {
      const { rowCount } = await db.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [`stip-lease-${instance.name}`],
      )
      return rowCount ?? 0
    },
  }
}
