/**
 * A document that waits unfiled longer than the practice's `unfiledAlertAfter` opens one operator alert (keyed by
 * the message's workflow id, PHI-free), resolved when the document is filed; one filed in time raises none, and
 * "acknowledge on receipt" never waits.
 */
import { fileDocumentUpdate } from '../../workflows/received-document-filing';
import { World, useReceivedMessageWorld } from './support/received-message-world';

const HOUR = 3_600_000;
const { env, run } = useReceivedMessageWorld('unfiled-document-alert-test');

test('opens after the configured time, once, and is resolved when the document is filed', async () => {
  const world = new World();
  world.settings = { mode: 'when-filed', unfiledAlertAfterMs: 4 * HOUR };
  await run(world, async (handle) => {
    await env().sleep(3 * HOUR);
    expect(world.alerts).toEqual([]);
    await env().sleep(2 * HOUR);
    expect(world.alerts).toEqual([
      {
        kind: 'document-unfiled',
        key: `${handle.workflowId}/document-unfiled`,
        status: 'open',
        count: 1,
        practiceOds: 'Y90002',
        mailbox: 'Y90002MB01',
        meshMessageId: expect.stringMatching(/^MESH-/),
        encounterGuid: '846ebe66-5ff8-4499-bc57-a112d3d0daa3',
        detail: expect.stringMatching(/has waited unfiled for more than 240 minute/),
      },
    ]);
    await env().sleep(2 * 24 * HOUR);
    expect(world.alerts).toHaveLength(1);
    await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
  });
  expect(world.alerts.map((a) => [a.key, a.status])).toEqual([
    [world.alerts[0]!.key, 'open'],
    [world.alerts[0]!.key, 'resolved'],
  ]);
  expect(world.alerts[1]!.detail).toMatch(/is filed$/);
});

test('a document filed in time raises no alert', async () => {
  const world = new World();
  world.settings = { mode: 'when-filed', unfiledAlertAfterMs: 4 * HOUR };
  await run(world, async (handle) => {
    await env().sleep(3 * HOUR);
    await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
  });
  expect(world.alerts).toEqual([]);
});

test('"acknowledge on receipt" never waits, so never alerts', async () => {
  const world = new World();
  world.settings = { mode: 'on-receipt', unfiledAlertAfterMs: 60_000 };
  await run(world);
  expect(world.alerts).toEqual([]);
});
