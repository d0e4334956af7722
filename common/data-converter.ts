/**
 * The one data converter of every fedreport process that talks to Temporal (worker, API, CLI, codec-aware tests):
 * client and worker must agree on it, or one side cannot read what the other wrote.
 */
import type { DataConverter } from '@temporalio/common';
import type { CodecKeyring } from './codec-keys';
import { AesGcmPayloadCodec, payloadCodecOptionsFromEnv, type PayloadCodecOptions } from './payload-codec';

/** Also for `bundleWorkflowCode({ failureConverterPath })` when the worker runs a prebuilt workflow bundle. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The codec options come from the environment unless given (FEDREPORT_CODEC_ACCEPT_PLAINTEXT). */
export function buildDataConverter(
  keyring: CodecKeyring,
  codecOptions: PayloadCodecOptions = payloadCodecOptionsFromEnv(),
): DataConverter {
  return {
    payloadCodecs: [new AesGcmPayloadCodec(keyring, codecOptions)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
