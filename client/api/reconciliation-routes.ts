/**
 * Completeness reconciliation (GPCM-SD-076): the clinical system posts the encounter GUIDs it saved for a practice in
 * a period; the answer lists the ones fedreport never heard of and the state of the others (client/reconciliation.ts).
 * Each result is kept as the practice's last reconciliation, which its daily digest reports.
 */
import type { FastifyInstance } from 'fastify';
import { parseReconciliationRequest } from '../../domain/reconciliation';
import { odsCodeSchema } from '../../domain/snapshot';
import { fieldIssuesFromZod } from '../../domain/validation-error';
import { reconcileEncounters, recordReconciliation } from '../reconciliation';
import { requirePractice } from './auth';
import { parsedBody, type RouteContext } from './encounter-routes';
import { ApiRejection, requireJsonContentType } from './errors';
import { answeringTemporalErrors } from './temporal-errors';

interface PracticeRoute {
  Params: { ods: string };
}

export function registerReconciliationRoutes(
  app: FastifyInstance,
  { client, timeoutMs }: RouteContext,
): void {
  app.post<PracticeRoute>(
    '/v1/practices/:ods/reconciliation',
    { preValidation: requireJsonContentType },
    async (request, reply) => {
      const ods = odsCodeSchema.safeParse(request.params.ods);
      if (!ods.success) {
        const issues = fieldIssuesFromZod(ods.error).map(({ reason }) => ({ field: 'path.ods', reason }));
        throw new ApiRejection(
          400,
          'invalid_practice_ods',
          'the practice in the path is not an ODS code',
          issues,
        );
      }
      requirePractice(request, ods.data, 'path.ods');
      const body = parsedBody(
        request.body,
        parseReconciliationRequest,
        'invalid_reconciliation',
        'reconciliation request',
      );
      const report = await answeringTemporalErrors(
        // Each visibility query is bounded on its own: a list of 10,000 takes 50 of them.
        reconcileEncounters(client, ods.data, body, { timeoutMs }).then(async (reconciled) => {
          await client.withDeadline(Date.now() + timeoutMs, () => recordReconciliation(client, reconciled));
          return reconciled;
        }),
        request.log,
      );
      return reply.send(report);
    },
  );
}
