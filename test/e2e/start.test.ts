import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'dist', 'cli', 'bin.js');

function warden(args: string[], cwd: string) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, WARDEN_DATABASE: '' },
  });
}

/** npm start's job, run as a person would: generate the example, import it, print the inventory. */
describe('npm start job (built CLI on examples/acme)', () => {
  it('generates the example, imports it into the embedded store and prints the inventory', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'warden-e2e-'));
    const example = path.join(cwd, 'acme');
    const gen = spawnSync(process.execPath, [path.join(root, 'scripts', 'gen-acme.mjs'), example], {
      encoding: 'utf8',
    });
    expect(gen.status, gen.stderr).toBe(0);

    const imp = warden(['import', example], cwd);
    expect(imp.stderr).toBe('');
    expect(imp.stdout).toMatch(/agents\.yaml\s+agents-yaml\s+28 agents/);
    expect(imp.stdout).not.toMatch(/FAILED/);
    expect(imp.status).toBe(0);

    const inv = warden(['inventory', '--summary'], cwd);
    expect(inv.status).toBe(0);
    expect(inv.stdout).toMatch(/support-bot\s+chatbot\s+production\s+active/);
    expect(inv.stdout).toMatch(/scratch-notebook-agent\s+\?/); // found by its config, declared by no one

    const json = warden(['inventory', '--agent', 'support-bot', '--format', 'json'], cwd);
    const parsed = JSON.parse(json.stdout);
    // 40 people, 5 departed: GitHub-login aliases of the same people are not counted again.
    expect(parsed.totals).toMatchObject({ owners: 40, departedOwners: 5 });
    const agent = parsed.agents[0];
    const openai = agent.identities.find((i: { provider: string }) => i.provider === 'openai');
    expect(openai.sharedWith).toEqual(['marketing-chatbot', 'sales-email-writer']);
    // No secret value from the example reaches the output.
    expect(json.stdout + inv.stdout + imp.stdout).not.toMatch(/sk-proj-|xoxb-|ghp_|AKIA[A-Z2-7]{16}/);
  });
});
