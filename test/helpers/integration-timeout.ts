// Integration tests talk to a real Temporal server and PostgreSQL: allow for a slow CI box.
jest.setTimeout(60_000);
