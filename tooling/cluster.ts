/**
 * Temporal for `npm run cluster` (the production topology on loopback): the Temporal server on Debian PostgreSQL, its
 * data kept in the state folder so workflows survive a restart of the cluster (FEDREPORT_CLUSTER_THROWAWAY=1 starts
 * from empty databases each time), and the Temporal Web UI server in front of it decoding through the codec server.
 * The local stack runs the rest (two workers, two APIs, MESH, PDS) around it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ManagedProcess } from './processes';
import { startTemporalOnPostgres } from './temporal-on-postgres';
import { startTemporalUi } from './temporal-ui-server';

export const CLUSTER_THROWAWAY_ENV = 'FEDREPORT_CLUSTER_THROWAWAY';

export interface ClusterTemporalOptions {
  stateDir: string;
  temporalPort: number;
  uiPort: number;
  codecEndpoint: string;
}

export interface ClusterTemporal {
  address: string;
  namespace: string;
  uiUrl: string;
  /** fedreport's archive database on the cluster's PostgreSQL. */
  archiveDatabaseUrl: string;
  postgresUrl: string;
  postgresDataDir: string | undefined;
  processes: ManagedProcess[];
  stop(): Promise<void>;
}

export async function startClusterTemporal(options: ClusterTemporalOptions): Promise<ClusterTemporal> {
  const throwaway = process.env[CLUSTER_THROWAWAY_ENV] === '1';
  const postgresDataDir = throwaway ? undefined : path.join(options.stateDir, 'cluster-postgres');
  const clusterDir = path.join(options.stateDir, 'cluster');
  fs.mkdirSync(clusterDir, { recursive: true });
  const cluster = await startTemporalOnPostgres({
    stateDir: clusterDir,
    postgresDataDir,
    temporalPort: options.temporalPort,
  });
  try {
    const ui = await startTemporalUi({
      temporalAddress: cluster.temporal.address,
      namespace: cluster.temporal.namespace,
      port: options.uiPort,
      codecEndpoint: options.codecEndpoint,
      stateDir: clusterDir,
      logFile: path.join(options.stateDir, 'temporal-ui.log'),
    });
    return {
      address: cluster.temporal.address,
      namespace: cluster.temporal.namespace,
      uiUrl: ui.url,
      archiveDatabaseUrl: cluster.archiveDatabaseUrl,
      postgresUrl: cluster.postgres.url,
      postgresDataDir,
      processes: [ui.process, cluster.temporal.process, cluster.postgres.process],
      async stop() {
        await ui.process.stop();
        await cluster.stop();
      },
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
