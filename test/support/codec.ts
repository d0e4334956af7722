import { parseCodecKeyring } from '../../common/codec-keys';

/** A fixed test key, so histories recorded by the integration tests stay decodable by the replay suite. */
export const TEST_KEYRING = parseCodecKeyring({ activeKeyId: 'test-key-1', keys: { 'test-key-1': Buffer.alloc(32, 7).toString('base64') } }, 'test');
