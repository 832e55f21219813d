/**
 * Docker cannot run on the machines this project is built on, so docker-compose.yml is checked
 * against the configuration instead: the app services must start (in production mode) with the
 * environment the file gives them, name no variable the app does not read, and run commands
 * that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigSchema, loadConfig } from '../../../src/config';

const root = join(__dirname, '..', '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string>; command?: string[]; build?: string }>;
};
const APP_SERVICES = ['api', 'worker'];

describe('docker-compose.yml', () => {
  it.each(APP_SERVICES)('gives %s every variable production requires, each valid', (name) => {
    const environment = compose.services[name]?.environment ?? {};
    expect(environment.NODE_ENV).toBe('production');
    const config = loadConfig(environment);
    expect(config.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it.each(APP_SERVICES)('names no variable that %s does not read', (name) => {
    const names = Object.keys(compose.services[name]?.environment ?? {});
    expect(names.filter((n) => !(n in ConfigSchema.properties))).toEqual([]);
  });

  it.each(APP_SERVICES)('runs a command of %s that the build produces', (name) => {
    const service = compose.services[name]!;
    expect(service.build).toBe('.');
    const script = service.command?.[1];
    expect(script).toMatch(/^dist\/src\/cli\/\w+\.js$/);
    expect(existsSync(join(root, script!.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
  });

  it('has the services the system needs, with a Dockerfile for the app', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'temporal', 'temporal-postgresql', 'temporal-ui', 'api', 'worker']),
    );
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
  });
});
