/**
 * What the Temporal UI lists for an encounter the API started: a static summary and details naming the hosting
 * practice and the encounter, decoded as the codec server would, with no patient data.
 */
import { encounterWorkflowId } from '../../../workflows/encounter-identity';
import { API_TOKEN, EXAMPLE_PHI, exampleSnapshot, startQuietApi, type QuietApi } from './support';

let stack: QuietApi;
beforeAll(async () => void (stack = await startQuietApi()));
afterAll(() => stack.close());

it('a save that starts an encounter sets its static summary and details, free of patient data', async () => {
  const snapshot = exampleSnapshot();
  const workflowId = encounterWorkflowId(snapshot.encounterId);
  stack.started.add(workflowId);
  const response = await fetch(`${stack.api.url}/v1/encounters/${snapshot.encounterId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(snapshot),
  });
  expect(response.status).toBe(202);

  const description = await stack.client.workflow.getHandle(workflowId).describe();
  expect(await description.staticSummary()).toBe('Encounter at Y90001');
  const details = await description.staticDetails();
  expect(details).toContain(snapshot.encounterId);
  for (const phi of EXAMPLE_PHI) expect(`${await description.staticSummary()} ${details}`).not.toContain(phi);
});
