/**
 * The workflow of one received message, against scripted activities on the time-skipping server: a rejected message
 * gets only its negative infrastructure answer and nothing is filed; an accepted one gets 20013, waits for the
 * clinical system (days pass), and after filing gets the business code PDS decides; a refusal sends its negative code;
 * "acknowledge on receipt" files at once; answers are sent exactly once.
 */
import { fileDocumentUpdate } from '../../workflows/received-document-filing';
import { receivedMessageStageQuery } from '../../workflows/received-message-workflow';
import { ANSWER_TO, World, useReceivedMessageWorld } from './support/received-message-world';

const { env, run } = useReceivedMessageWorld('received-message-workflow-test');

test('a rejected message gets its negative infrastructure code only, and nothing is filed', async () => {
  const world = new World();
  world.verdict = { outcome: 'rejected', answerTo: ANSWER_TO, code: '20004', diagnostics: 'attachment 2 …' };
  expect(await run(world)).toEqual({ infrastructureCode: '20004' });
  expect(world.codes()).toEqual(['20004']);
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
    expect(world.codes()).toEqual(['20013']);
    expect(await handle.executeUpdate(fileDocumentUpdate, { args: [{ outcome: 'filed' }] })).toEqual({
      stage: 'filed',
    });
  });
  expect(result).toEqual({ infrastructureCode: '20013', businessCode: '30004' });
  expect(world.codes()).toEqual(['20013', '30004']);
  expect(world.filings).toEqual([{ outcome: 'filed' }]);
  expect(world.accepted).toBe(1);
});

test('refused by the clinical system: its negative business code, without the typed reason', async () => {
  const world = new World();
  const result = await run(world, async (handle) => {
    const rejection = { outcome: 'rejected' as const, code: '30003' as const, reason: 'moved away in May' };
    expect(await handle.executeUpdate(fileDocumentUpdate, { args: [rejection] })).toEqual({
      stage: 'refused',
    });
  });
  expect(result).toEqual({ infrastructureCode: '20013', businessCode: '30003' });
  expect(world.answers[1]).toMatchObject({ code: '30003', diagnostics: 'refused by the receiving practice' });
  expect(JSON.stringify(world.answers)).not.toContain('May');
});

test('"acknowledge on receipt" files at once and answers 20013 then 30001', async () => {
  const world = new World();
  world.settings = { ...world.settings, mode: 'on-receipt' };
  expect(await run(world)).toEqual({ infrastructureCode: '20013', businessCode: '30001' });
  expect(world.codes()).toEqual(['20013', '30001']);
  expect(world.filings).toEqual([{ outcome: 'filed' }]);
});
