import { DefaultLogger, Runtime } from '@temporalio/worker';

// Integration tests talk to a real Temporal server and PostgreSQL: allow for a slow CI box.
jest.setTimeout(60_000);

// Workers log every state change at INFO; tests only want to hear about problems.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this Jest worker by an earlier test file.
}
