/**
 * Addresses of the real servers the jest global setup started for this run (one of each, shared by all test
 * files). Test files read them through these functions so a missing server fails with a clear message.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest so test/support/global-setup.ts starts the servers`);
  return value;
}

export const testTemporal = () => ({
  address: required('FEDREPORT_TEST_TEMPORAL_ADDRESS'),
  namespace: required('FEDREPORT_TEST_TEMPORAL_NAMESPACE'),
});

export const testPdsUrl = (): string => required('FEDREPORT_TEST_PDS_URL');
export const testTemporalDbFile = (): string => required('FEDREPORT_TEST_TEMPORAL_DB');
