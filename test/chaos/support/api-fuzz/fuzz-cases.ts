/** The mix of generated requests: mostly field mutations, then whole-body abuse and abuse around the body. */
import { bodyCase } from './body-cases';
import { requestCase } from './request-cases';
import { snapshotFieldCase } from './snapshot-mutations';
import type { CaseContext, FuzzCase } from './fuzz-case';

const GENERATORS: readonly (readonly [(ctx: CaseContext) => FuzzCase, number])[] = [
  [snapshotFieldCase, 55],
  [bodyCase, 20],
  [requestCase, 25],
];

export function generateCase(ctx: CaseContext): FuzzCase {
  return ctx.prng.weighted(GENERATORS)(ctx);
}
