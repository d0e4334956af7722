/** A complete signed-JWT PDS configuration as environment variables, and what it reads as. */
import type { PdsConfig } from '../../integrations/pds/config';

export const PDS_BASE = 'https://int.api.service.nhs.uk/personal-demographics/FHIR/R4';
const TOKEN_URL = 'https://int.api.service.nhs.uk/oauth2/token';

/** Every signed-JWT setting under `prefix` (FEDREPORT_PDS_, or the deprecated PDS_). */
export const signedJwtEnv = (prefix: string): NodeJS.ProcessEnv => ({
  [`${prefix}BASE_URL`]: PDS_BASE,
  [`${prefix}AUTH`]: 'signed-jwt',
  [`${prefix}API_KEY`]: 'key',
  [`${prefix}KEY_ID`]: 'int-1',
  [`${prefix}PRIVATE_KEY_FILE`]: 'secrets/pds.pem',
  [`${prefix}TOKEN_URL`]: TOKEN_URL,
  [`${prefix}JWT_LIFETIME_SECONDS`]: '240',
  [`${prefix}TIMEOUT_MS`]: '5000',
});

export const SIGNED_JWT_CONFIG: PdsConfig = {
  baseUrl: PDS_BASE,
  timeoutMs: 5_000,
  auth: {
    mode: 'signed-jwt',
    apiKey: 'key',
    keyId: 'int-1',
    privateKeyFile: 'secrets/pds.pem',
    tokenUrl: TOKEN_URL,
    jwtLifetimeSeconds: 240,
  },
};
