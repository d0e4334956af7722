import { MeshInvalidMessageError } from '../../../integrations/mesh/errors';
import { validateOutgoingMessage } from '../../../integrations/mesh/messages';

test('an outgoing message that breaks MESH header rules is refused locally, naming fields but not values', () => {
  const attempt = () =>
    validateOutgoingMessage({
      to: `GPPROVIDER_9000000009_20101022_${'X'.repeat(80)}`,
      workflowId: 'https://evil.example/workflow',
      subject: 'Zoë Smith',
      body: '',
    });
  expect(attempt).toThrow(MeshInvalidMessageError);
  try {
    attempt();
  } catch (error) {
    expect((error as MeshInvalidMessageError).problems).toEqual([
      { field: 'to', reason: 'at most 100 characters' },
      { field: 'workflowId', reason: 'must not be a URL' },
      { field: 'body', reason: 'must not be empty (MESH answers 417 MissingDataFile)' },
      { field: 'subject', reason: 'printable ASCII only (it travels as an HTTP header)' },
    ]);
    expect((error as Error).message).not.toMatch(/9000000009|Zo/);
  }
});

test('string bodies are sent as UTF-8 bytes and transport compression is off by default', () => {
  const message = validateOutgoingMessage({ to: 'X26ABC2', workflowId: 'TEST_WORKFLOW', body: 'é' });
  expect(message.body).toEqual(Buffer.from([0xc3, 0xa9]));
  expect(message.compress).toBe(false);
});
