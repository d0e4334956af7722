/** Page geometry, type sizes and colours of the report. Colours are the NHS identity palette. */
export const colours = {
  nhsBlue: '#005EB8',
  nhsLightBlue: '#41B6E6',
  /** NHS Black and NHS Dark Grey: body text and labels. */
  text: '#212B32',
  secondaryText: '#4C6272',
  white: '#FFFFFF',
} as const;

export const page = {
  size: 'A4',
  width: 595.28,
  height: 841.89,
  marginX: 42,
  /** Body area; the header and footer live above and below it. */
  bodyTop: 92,
  bodyBottomMargin: 58,
  headerBandHeight: 46,
} as const;

export const type = {
  reportTitle: 13,
  headerSide: 10,
  meta: 9,
  footer: 8,
  blockHeading: 11,
  patientName: 15,
  label: 9,
  value: 10,
  noteTitle: 10.5,
  note: 10,
} as const;

/** Vertical rhythm in points. */
export const spacing = {
  fieldRow: 3,
  afterBlock: 14,
  headingRule: 4,
  afterHeading: 8,
  noteItem: 3,
  /** The blank line the layout asks for between clinical note sections. */
  betweenSections: 10,
  noteIndent: 18,
  /** Where a follow-up action's bullet sits, left of the indented text. */
  bulletOutdent: 11,
} as const;

export const bodyWidth = page.width - 2 * page.marginX;
