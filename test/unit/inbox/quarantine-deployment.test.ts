/**
 * The image and compose file give the worker a quarantine folder it can write: a volume at the path the image
 * creates for its own user, named by FEDREPORT_QUARANTINE_DIR (checked without Docker, as the compose test does).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const compose = YAML.parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
  volumes: Record<string, unknown>;
};
const QUARANTINE = '/var/lib/fedreport/quarantine';

describe('the quarantine location in the image and compose file', () => {
  it('is created in the image for the user the image runs as, before it switches to that user', () => {
    expect(dockerfile).toContain(`ENV FEDREPORT_QUARANTINE_DIR=${QUARANTINE}`);
    const created = dockerfile.search(new RegExp(`RUN mkdir -p ${QUARANTINE} && chown -R node:node`));
    expect(created).toBeGreaterThan(-1);
    expect(created).toBeLessThan(dockerfile.indexOf('USER node'));
  });

  it('is a named volume of the worker, at the path its FEDREPORT_QUARANTINE_DIR names', () => {
    const worker = compose.services.worker!;
    expect(worker.environment?.FEDREPORT_QUARANTINE_DIR).toBe(QUARANTINE);
    expect(worker.volumes).toContain(`quarantine:${QUARANTINE}`);
    expect(Object.keys(compose.volumes)).toContain('quarantine');
  });
});
