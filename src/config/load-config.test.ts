import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INIT_TEMPLATE } from './init-template.js';
import { loadConfig } from './load-config.js';

function dirWith(yaml?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-config-'));
  if (yaml !== undefined) writeFileSync(path.join(dir, 'warden.yaml'), yaml);
  return dir;
}

describe('loadConfig', () => {
  it('defaults to .warden/warden.db in the working directory', () => {
    const cwd = dirWith();
    const c = loadConfig({ cwd });
    expect(c.database).toBe(path.join(cwd, '.warden', 'warden.db'));
    expect(c.posture.rotationDays).toBe(90);
    expect(Object.isFrozen(c.posture)).toBe(true);
  });

  it('applies file < environment < flags', () => {
    const cwd = dirWith('database: from-file.db\nfailOn: low\n');
    expect(loadConfig({ cwd }).database).toBe(path.join(cwd, 'from-file.db'));
    expect(loadConfig({ cwd, env: { WARDEN_DATABASE: 'postgres://u@h/db' } }).database).toBe(
      'postgres://u@h/db',
    );
    expect(
      loadConfig({ cwd, env: { WARDEN_DATABASE: 'env.db' }, flags: { database: 'flag.db' } }).database,
    ).toBe(path.join(cwd, 'flag.db'));
    expect(loadConfig({ cwd, env: { WARDEN_FAIL_ON: 'critical' } }).failOn).toBe('critical');
  });

  it('names the file, line and key of an invalid setting', () => {
    const cwd = dirWith('database: x.db\nposture:\n  rotationDays: -3\n');
    expect(() => loadConfig({ cwd })).toThrow(/warden\.yaml:3: setting 'posture\.rotationDays'/);
  });

  it('rejects unknown keys by name', () => {
    const cwd = dirWith('databse: x.db\n');
    expect(() => loadConfig({ cwd })).toThrow(/databse/);
  });

  it('names the environment variable that holds a bad value', () => {
    const cwd = dirWith();
    expect(() => loadConfig({ cwd, env: { WARDEN_FAIL_ON: 'severe' } })).toThrow(
      /environment WARDEN_FAIL_ON: setting 'failOn'/,
    );
  });

  it('reports YAML syntax errors with the line', () => {
    const cwd = dirWith('database: [unclosed\nposture: {}\n');
    expect(() => loadConfig({ cwd })).toThrow(/warden\.yaml:\d+:/);
  });

  it('fails on a named config file that does not exist', () => {
    expect(() => loadConfig({ cwd: dirWith(), file: 'nope.yaml' })).toThrow(/does not exist/);
  });

  it('accepts the template written by warden init', () => {
    const cwd = dirWith(INIT_TEMPLATE);
    expect(loadConfig({ cwd }).links.tagKeys).toContain('warden.io/agent');
  });
});
