import { formatCalendarDate, formatUkDateTime } from '../../../../integrations/report/format/dates';

describe('report date formats', () => {
  it.each([
    ['1958-03-14', '14-Mar-1958'],
    ['2000-01-01', '01-Jan-2000'],
    ['1984-12-31', '31-Dec-1984'],
  ])('formats the calendar date %s as dd-MMM-yyyy: %s', (input, expected) => {
    expect(formatCalendarDate(input)).toBe(expected);
  });

  it('rejects a calendar date in another format', () => {
    expect(() => formatCalendarDate('14/03/1958')).toThrow(RangeError);
  });

  it.each([
    ['winter (GMT)', '2026-11-20T10:15:00Z', '20-Nov-2026 10:15'],
    ['summer (BST, UTC+1)', '2026-07-01T09:05:00Z', '01-Jul-2026 10:05'],
    ['an instant given with an offset', '2026-07-01T09:05:00+01:00', '01-Jul-2026 09:05'],
    ['late evening UTC that is already tomorrow in London', '2026-06-30T23:30:00Z', '01-Jul-2026 00:30'],
    ['the morning the clocks go forward', '2026-03-29T01:30:00Z', '29-Mar-2026 02:30'],
    ['the afternoon, 24-hour clock', '2026-01-05T15:45:00Z', '05-Jan-2026 15:45'],
  ])('formats %s in UK local time as dd-MMM-yyyy hh:mm', (_case, input, expected) => {
    expect(formatUkDateTime(input)).toBe(expected);
  });

  it('rejects a date-time that is not one', () => {
    expect(() => formatUkDateTime('yesterday')).toThrow(RangeError);
  });
});
