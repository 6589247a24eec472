import type { TestProject } from 'vitest/node';
import { startPostgres, type PgServer } from './postgres-server.js';

import type {} from '../src/store/test-utils/dialects.js';

let server: PgServer | undefined;

/**
 * Starts one PostgreSQL server for the whole run. Without one, PostgreSQL tests are skipped on a
 * developer's machine but fail under CI=true, so CI can never pass by not testing a dialect.
 */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.WARDEN_TEST_PG_URL) {
    project.provide('pgUrl', process.env.WARDEN_TEST_PG_URL);
    return;
  }
  if (process.env.WARDEN_TEST_NO_PG === '1') {
    project.provide('pgUrl', '');
    return;
  }
  try {
    server = await startPostgres();
    project.provide('pgUrl', server.url);
  } catch (e) {
    if (process.env.CI === 'true') throw e;
    console.warn(`PostgreSQL tests will be skipped: ${(e as Error).message}`);
    project.provide('pgUrl', '');
  }
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
