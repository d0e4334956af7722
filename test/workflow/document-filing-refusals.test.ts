/**
 * The filing command is an Update with a validator: a second command (filed twice, or rejected after filing), an
 * invalid one (a business code the practice may not answer, no reason) are refused with the reason naming what is
 * wrong, and change nothing: one filing, one business answer.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { fileDocumentUpdate } from '../../workflows/received-document-filing';
import { World, useReceivedMessageWorld } from './support/received-message-world';

const { run } = useReceivedMessageWorld('document-filing-refusals-test');

async function refusal(pending: Promise<unknown>): Promise<string> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return (error as WorkflowUpdateFailedError).cause?.message ?? '';
}

test('a second command is refused and changes nothing', async () => {
  const world = new World();
  world.settings = { ...world.settings, unfiledAlertAfterMs: 60_000 };
  await run(world, async (handle) => {
    await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
    expect(await refusal(handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] }))).toBe(
      'the document was already filed',
    );
    const late = { outcome: 'rejected' as const, code: '30002' as const, reason: 'second click' };
    expect(await refusal(handle.executeUpdate(fileDocumentUpdate, { args: [late] }))).toBe(
      'the document was already filed',
    );
  });
  expect(world.filings).toEqual([{ outcome: 'filed' }]);
  expect(world.codes()).toEqual(['20013', '30001']);
});

test('an invalid command names the field and reason, and changes nothing', async () => {
  const world = new World();
  await run(world, async (handle) => {
    const wrongCode = { outcome: 'rejected', code: '30001', reason: 'not ours' } as never;
    expect(await refusal(handle.executeUpdate(fileDocumentUpdate, { args: [wrongCode] }))).toMatch(
      /code: must be one of 30002, 30003/,
    );
    const noReason = { outcome: 'rejected', code: '30002', reason: ' ' } as never;
    expect(await refusal(handle.executeUpdate(fileDocumentUpdate, { args: [noReason] }))).toMatch(
      /reason: must say why the document is refused/,
    );
    expect(world.filings).toEqual([]);
    await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
  });
  expect(world.filings).toEqual([{ outcome: 'filed' }]);
});
