/**
 * The polling loop of one mailbox: drain the inbox (the MESH client follows pages), handle each new message, wait
 * the interval, again until closed. A message whose answer is delayed waits in the background so the messages behind
 * it are answered on time; a failure with one message is counted and logged and the loop carries on with the next.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { forEachInFlight } from '../../common/in-flight';
import { errorFields, mailboxLabel, type SimulatorLogger } from './logging';
import type { MessageHandler, PendingDelivery, PolledMailbox } from './message-handler';
import type { SimulatorCounters } from './stats';

const MESSAGES_IN_FLIGHT = 4;

export interface PollingLoopOptions {
  mailbox: PolledMailbox;
  intervalMs: number;
  handler: MessageHandler;
  counters: SimulatorCounters;
  logger: SimulatorLogger;
  /** Aborted by close(): the loop ends after the message in hand; delayed answers not yet due are dropped. */
  signal: AbortSignal;
  /** Receives each background task (a delayed answer) so that close() can wait for it. */
  track: (task: Promise<void>) => void;
}

export async function runPollingLoop(options: PollingLoopOptions): Promise<void> {
  const { mailbox, signal } = options;
  /** Messages whose delayed answer is pending: still listed in the inbox, not to be handled twice. */
  const waiting = new Set<string>();
  while (!signal.aborted) {
    try {
      for await (const page of mailbox.client.inboxPages()) {
        // A practice system works on several messages at once, as fedreport's inbox does.
        await forEachInFlight(page, MESSAGES_IN_FLIGHT, async (messageId) => {
          if (!signal.aborted && !waiting.has(messageId)) await handleMessage(options, messageId, waiting);
        });
        if (signal.aborted) return;
      }
    } catch (error) {
      options.counters.pollFailed();
      options.logger.warn({ mailbox: mailboxLabel(mailbox.id), ...errorFields(error) }, 'inbox poll failed');
    }
    await pause(options.intervalMs, signal);
  }
}

async function handleMessage(
  options: PollingLoopOptions,
  messageId: string,
  waiting: Set<string>,
): Promise<void> {
  const { handler, counters, logger, mailbox, signal } = options;
  const fail = (error: unknown): void => {
    counters.pollFailed();
    logger.warn(
      { mailbox: mailboxLabel(mailbox.id), messageId, ...errorFields(error) },
      'message handling failed',
    );
  };
  let delivery: PendingDelivery;
  try {
    delivery = await handler.receive(mailbox, messageId);
    if (delivery.delayMs === 0) {
      await handler.deliver(delivery);
      return;
    }
  } catch (error) {
    fail(error);
    return;
  }
  waiting.add(messageId);
  counters.answerPending(1);
  const delayed = async (): Promise<void> => {
    try {
      await pause(delivery.delayMs, signal);
      if (!signal.aborted) await handler.deliver(delivery);
    } catch (error) {
      fail(error);
    } finally {
      waiting.delete(messageId);
      counters.answerPending(-1);
    }
  };
  options.track(delayed());
}

/** Resolves after `ms`, or at once when the signal aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
