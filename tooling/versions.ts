/**
 * Pinned versions of every external tool fedreport runs locally and in tests.
 * Bumping one here invalidates its cache entry; the next bootstrap rebuilds it.
 */
export const TOOL_VERSIONS = {
  /** Newest CLI tag `go install pkg@version` accepts (later tags carry a replace directive). Server 1.29.1, UI 2.42.1. */
  temporalCli: '1.5.1',
  /** go.temporal.io/server: the server and its SQL schema tool for the PostgreSQL cluster (`npm run cluster`), as the CLI embeds. */
  temporalServer: '1.29.1',
  /** github.com/temporalio/ui-server/v2: the Web UI in front of that server, as the CLI embeds. */
  temporalUiServer: '2.42.1',
  /** io.temporal:temporal-test-server, the Java time-skipping server. */
  temporalTestServer: '1.38.0',
  /** ca.uhn.hapi.fhir validation stack behind tooling/fhir-validator. */
  hapiFhir: '8.8.1',
  /** NHS England's MESH API sandbox (PyPI). */
  meshSandbox: '1.0.137',
  /** NHS England's official Python MESH client (PyPI), used as an independent peer in tests. */
  meshClient: '5.0.2',
} as const;
