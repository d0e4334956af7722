/**
 * The workflow of one received message, against scripted activities on the time-skipping server: a rejected message
 * gets only its negative infrastructure answer and nothing is filed; an accepted one gets 20013, waits for the
 * clinical system (days pass), and after filing gets the business code PDS decides; a refusal sends its negative code;
 * "acknowledge on receipt" files at once (only a document whose patient PDS places here: another is refused with
 * its code); a second filing signal changes nothing; answers are sent exactly once.
 */
import { fileDocumentUpdate } from '../../workflows/received-document-filing';
import {
  messageDeliveredSignal,
  receivedMessageStageQuery,
} from '../../workflows/received-message-workflow';
import { ANSWER_TO, useReceivedMessageWorld, World } from './support/received-message-world';

const { env, run } = useReceivedMessageWorld('received-message-workflow-test');

const codes = (world: World): string[] => world.answers.map((a) => a.code);

const copy = (meshMessageId: string) => ({
  mailbox: 'Y90002MB01',
  meshMessageId,
  meshWorkflowId: 'GPFED_CONSULT_REPORT',
  meshSender: 'Y90001MB01',
  receivedAt: '2026-11-20T15:00:00Z',
});

test('a rejected message gets its negative infrastructure code only, and nothing is filed', async () => {
  const world = new World();
  world.verdict = { outcome: 'rejected', answerTo: ANSWER_TO, code: '20004', diagnostics: 'attachment 2 …' };
  expect(await run(world)).toEqual({ infrastructureCode: '20004', duplicates: 0 });
  expect(codes(world)).toEqual(['20004']);
  expect(world.answers[0]).toMatchObject({
    mailbox: 'Y90002MB01',
    answerTo: ANSWER_TO,
    diagnostics: 'attachment 2 …',
  });
  expect(world.filings).toEqual([]);
});

test('accepted: 20013 at once, then waits for filing (days), then the business code PDS decides', async () => {
  const world = new World();
  world.businessCode = '30004';
  const result = await run(world, async (handle) => {
    await env().sleep('3 days');
    expect(await handle.query(receivedMessageStageQuery)).toBe('awaiting-filing');
    expect(codes(world)).toEqual(['20013']);
    await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
    // A second click is refused by the Update's validator and changes nothing.
    await expect(
      handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'rejected', code: '30002', reason: 'second click' }] }),
    ).rejects.toThrow();
  });
  expect(result).toEqual({ infrastructureCode: '20013', businessCode: '30004', duplicates: 0 });
  expect(codes(world)).toEqual(['20013', '30004']);
  expect(world.filings).toEqual([{ outcome: 'filed' }]);
  expect(world.accepted).toBe(1);
});

test('refused by the clinical system: its negative business code, without the typed reason', async () => {
  const world = new World();
  const result = await run(world, async (handle) => {
    await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'rejected', code: '30003', reason: 'moved away in May' }] });
  });
  expect(result).toEqual({ infrastructureCode: '20013', businessCode: '30003', duplicates: 0 });
  expect(world.answers[1]).toMatchObject({ code: '30003', diagnostics: 'refused by the receiving practice' });
  expect(JSON.stringify(world.answers)).not.toContain('May');
});

test('"acknowledge on receipt" files at once and answers 20013 then 30001', async () => {
  const world = new World();
  world.settings.mode = 'on-receipt';
  expect(await run(world)).toEqual({ infrastructureCode: '20013', businessCode: '30001', duplicates: 0 });
  expect(codes(world)).toEqual(['20013', '30001']);
  expect(world.filings).toEqual([{ outcome: 'filed' }]);
});

test('"acknowledge on receipt" refuses, unfiled, a document whose patient PDS does not place here', async () => {
  const world = new World();
  world.settings.mode = 'on-receipt';
  world.businessCode = '30002';
  expect(await run(world)).toEqual({ infrastructureCode: '20013', businessCode: '30002', duplicates: 0 });
  expect(codes(world)).toEqual(['20013', '30002']);
  expect(world.answers[1]?.diagnostics).toBe('the patient is not registered at this practice according to PDS');
  expect(world.filings).toEqual([
    { outcome: 'rejected', code: '30002', reason: 'the patient is not registered at this practice according to PDS' },
  ]);
});

test('a second copy while the first awaits filing: answered 20007 alone; the same copy again changes nothing', async () => {
  const world = new World();
  const result = await run(world, async (handle) => {
    const own = handle.workflowId.replace('received-test-', 'MESH-');
    await handle.signal(messageDeliveredSignal, copy(own)); // the first copy, signalled at its start
    await handle.signal(messageDeliveredSignal, copy('MESH-SECOND'));
    await handle.signal(messageDeliveredSignal, copy('MESH-SECOND')); // listed again: its acknowledgement failed
    await env().sleep('1 hour');
    expect(codes(world)).toEqual(['20013', '20007']);
    await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] });
  });
  expect(result).toEqual({ infrastructureCode: '20013', businessCode: '30001', duplicates: 1 });
  expect(codes(world)).toEqual(['20013', '20007', '30001']);
  expect(world.decided).toEqual([expect.stringMatching(/^MESH-\d+$/), 'MESH-SECOND']);
  expect(world.filings).toEqual([{ outcome: 'filed' }]);
});

test('a copy an earlier run decided (MESH listed it again after that run closed): nothing is answered', async () => {
  const world = new World();
  world.verdict = { outcome: 'settled' };
  expect(await run(world)).toEqual({ duplicates: 0 });
  expect(world.answers).toEqual([]);
  expect(world.filings).toEqual([]);
});
