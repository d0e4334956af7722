/** The MESH REPORT status code table: every code in it, how codes are compared, and the fallback. */
import { classifyMeshReport, type MeshReportClass } from '../../../domain/mesh-report';

describe('classifyMeshReport', () => {
  it.each<[string, MeshReportClass]>([
    ['14', 'expired'],
    ['EPL-150', 'routing-failure'],
    ['EPL-151', 'routing-failure'],
    ['EPL-152', 'routing-failure'],
    ['EPL-153', 'routing-failure'],
    ['EPL-154', 'routing-failure'],
    ['12', 'undelivered'],
    ['16', 'undelivered'],
    ['17', 'undelivered'],
  ])('%s is %s', (code, expected) => {
    expect(classifyMeshReport(code)).toBe(expected);
  });

  it.each([' epl-151', 'Epl-151 ', '\tepl-151\n'])(
    'compares %j without case or surrounding space',
    (code) => {
      expect(classifyMeshReport(code)).toBe('routing-failure');
    },
  );

  it.each(['EPL-155', '02', '', 'EPL 151'])('an unknown code %j is other', (code) => {
    expect(classifyMeshReport(code)).toBe('other');
  });
});
