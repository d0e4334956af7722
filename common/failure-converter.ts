/**
 * Loaded by path (`dataConverter.failureConverterPath`), also inside the workflow sandbox, so it imports nothing but
 * @temporalio/common. With `encodeCommonAttributes` the failure message and stack trace travel as an encoded payload
 * through the payload codec: an error that quotes a patient's details is ciphertext on the server too.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
