import os from 'node:os';
import type { MeshIncomingMessage, MeshMessageType, ValidMeshOutgoingMessage } from './messages';
import { parseChunkRange } from './schemas';

const OCTET_STREAM = 'application/octet-stream';

export interface ChunkPosition {
  number: number;
  total: number;
}

/**
 * Headers of one send request. The first chunk carries the whole control set (to, from, workflow, subject, local id,
 * filename, content type and flags); later chunks carry only their range and encoding, as the API specifies. When a
 * message is chunked its parts travel as octet-stream and mex-content-type keeps the real type.
 */
export function buildSendHeaders(
  sender: string,
  message: ValidMeshOutgoingMessage,
  chunk: ChunkPosition,
): Record<string, string> {
  const chunked = chunk.total > 1;
  const headers: Record<string, string> = {
    'content-type': !chunked && message.contentType ? message.contentType : OCTET_STREAM,
  };
  if (chunked) headers['mex-chunk-range'] = `${chunk.number}:${chunk.total}`;
  if (message.compress) headers['content-encoding'] = 'gzip';
  if (chunk.number > 1) return headers;

  const optional: Record<string, string | undefined> = {
    'mex-subject': message.subject,
    'mex-localid': message.localId,
    'mex-filename': message.filename,
    'mex-content-type': message.contentType,
    'mex-content-checksum': message.checksum,
    'mex-partnerid': message.partnerId,
    'mex-content-compressed': flag(message.contentCompressed),
    'mex-content-encrypted': flag(message.contentEncrypted),
  };
  Object.assign(headers, {
    'mex-to': message.to,
    // GP Connect requires mex-from; MESH rejects (07) one that differs from the authenticated mailbox.
    'mex-from': sender,
    'mex-workflowid': message.workflowId,
  });
  for (const [name, value] of Object.entries(optional)) if (value !== undefined) headers[name] = value;
  return headers;
}

function flag(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : value ? 'Y' : 'N';
}

/** The handshake's required client description (mex-ClientVersion, mex-OSName, mex-OSVersion) plus architecture. */
export function buildHandshakeHeaders(clientVersion: string): Record<string, string> {
  return {
    'mex-clientversion': clientVersion,
    'mex-osname': os.type(),
    'mex-osversion': os.release(),
    'mex-osarchitecture': os.arch(),
    'mex-javaversion': 'N/A',
  };
}

/** Reads a download's mex-* headers (lower-case names) into the message description, everything but the body. */
export function parseIncomingHeaders(
  messageId: string,
  messageType: MeshMessageType,
  headers: Record<string, string>,
): Omit<MeshIncomingMessage, 'body'> {
  const text = (name: string): string | undefined => {
    const value = headers[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const yes = (name: string): boolean => ['Y', 'TRUE'].includes((headers[name] ?? '').toUpperCase());
  return {
    messageId: text('mex-messageid') ?? messageId,
    messageType,
    from: text('mex-from'),
    to: text('mex-to'),
    workflowId: text('mex-workflowid'),
    subject: text('mex-subject'),
    localId: text('mex-localid'),
    filename: text('mex-filename'),
    contentType: text('mex-content-type') ?? text('content-type'),
    partnerId: text('mex-partnerid'),
    checksum: text('mex-content-checksum'),
    contentCompressed: yes('mex-content-compressed'),
    contentEncrypted: yes('mex-content-encrypted'),
    linkedMessageId: text('mex-linkedmsgid'),
    status: {
      success: (headers['mex-statussuccess'] ?? '').toUpperCase() === 'SUCCESS',
      code: text('mex-statuscode'),
      event: text('mex-statusevent'),
      description: text('mex-statusdescription'),
      timestamp: text('mex-statustimestamp'),
    },
    chunks: parseChunkRange(text('mex-chunk-range')).total,
  };
}
