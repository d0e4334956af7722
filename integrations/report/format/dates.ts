/**
 * Date formats of the GP Connect PDF layout: `dd-MMM-yyyy` and `dd-MMM-yyyy hh:mm`.
 * Month abbreviations are fixed English ones, not locale data, so the output never depends on the host's ICU.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Consultation times are shown as UK clinicians read them: wall-clock time in England, GMT or BST as in force. */
export const REPORT_TIME_ZONE = 'Europe/London';

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: REPORT_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});

function dayMonthYear(year: number, month: number, day: number): string {
  return `${String(day).padStart(2, '0')}-${MONTHS[month - 1]}-${String(year).padStart(4, '0')}`;
}

/** A calendar date (`YYYY-MM-DD`, no time zone: a date of birth is not an instant) as `dd-MMM-yyyy`. */
export function formatCalendarDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError('expected a date as YYYY-MM-DD');
  return dayMonthYear(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** An instant (ISO 8601 with offset) as `dd-MMM-yyyy hh:mm`, 24-hour, in UK local time. */
export function formatUkDateTime(isoDateTime: string): string {
  const instant = new Date(isoDateTime);
  if (Number.isNaN(instant.getTime())) throw new RangeError('expected an ISO 8601 date-time');
  const parts = londonParts.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  const time = `${String(part('hour')).padStart(2, '0')}:${String(part('minute')).padStart(2, '0')}`;
  return `${dayMonthYear(part('year'), part('month'), part('day'))} ${time}`;
}
