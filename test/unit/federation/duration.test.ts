import { formatDuration, parseDuration } from '../../../integrations/federation/duration';

describe('durations', () => {
  it.each([
    ['3h', 10_800_000],
    ['90m', 5_400_000],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['45s', 45_000],
    ['250ms', 250],
    ['2d', 172_800_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '3', 'h', '3 hours', '-1h', '1.5h', '3H'])('rejects %j', (text) =>
    expect(parseDuration(text)).toBeNull(),
  );

  it.each([
    [10_800_000, '3h'],
    [5_400_000, '1h30m'],
    [1_000, '1s'],
    [0, '0s'],
  ])('formats %s ms as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
