/**
 * The decision about one received copy as the archive database keeps it (`received_deliveries.decision`), read
 * back through this schema when a retried decision returns it: PHI-free ids, codes and fixed diagnostics.
 */
import { z } from 'zod';
import type { ReceivedMessageVerdict } from '../../workflows/received-message-activities';

const answerAddress = z.object({
  originalMessageHeaderId: z.string(),
  senderReference: z.string(),
  to: z.string(),
  workflowId: z.string(),
  format: z.enum(['xml', 'json']),
});

export const verdictSchema: z.ZodType<ReceivedMessageVerdict> = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('accepted'), answerTo: answerAddress, practiceOds: z.string() }),
  z.object({
    outcome: z.literal('rejected'),
    answerTo: answerAddress,
    code: z.string(),
    diagnostics: z.string(),
  }),
  z.object({ outcome: z.literal('settled') }),
]);
