/**
 * forEachInFlight: every item is worked on once, never more than the limit at a time, and a failure surfaces only
 * after the items already started have settled (nothing is left running behind the caller's back).
 */
import { forEachInFlight } from '../../../common/in-flight';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

it('works on every item once with at most the limit in flight', async () => {
  let inFlight = 0;
  let most = 0;
  const done: number[] = [];
  await forEachInFlight([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    await tick(5 + (item % 3) * 5);
    done.push(item);
    inFlight -= 1;
  });
  expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(most).toBe(3);
});

it('starts no new item after a failure and throws it once the started ones settled', async () => {
  const started: number[] = [];
  let settled = 0;
  const run = forEachInFlight([1, 2, 3, 4, 5], 2, async (item) => {
    started.push(item);
    await tick(item === 1 ? 1 : 20);
    settled += 1;
    if (item === 1) throw new Error('item 1 failed');
  });
  await expect(run).rejects.toThrow('item 1 failed');
  expect(started).toEqual([1, 2]);
  expect(settled).toBe(2);
});

it('does nothing for no items', async () => {
  const work = jest.fn(() => Promise.resolve());
  await forEachInFlight([], 4, work);
  expect(work).not.toHaveBeenCalled();
});
