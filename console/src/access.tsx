import { get } from './api';
import { dateTime } from './format';
import { Badge, ErrorMessage, PageHeading, useLoad } from './ui';

interface ApiKey {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface AuditEntry {
  id: string;
  at: string;
  actor: { name: string; role: string };
  method: string;
  route: string;
  subject: { type: string | null; id: string | null };
  outcome: string;
  statusCode: number | null;
  errorCode: string | null;
}

/** Admin: the API keys (never their secrets) and the latest audit entries, read-only. */
export function AccessPage() {
  const keys = useLoad(() => get<{ data: ApiKey[] }>('/v1/api-keys'), []);
  const audit = useLoad(() => get<{ data: AuditEntry[] }>('/v1/audit?limit=50'), []);
  return (
    <section aria-labelledby="acc-heading">
      <PageHeading title="Access">
        <span id="acc-heading">Access</span>
      </PageHeading>
      <p class="hint">
        Keys are created, rotated and revoked with <code>npm run keys</code> or the <code>/v1/api-keys</code>{' '}
        routes.
      </p>
      <section class="card" aria-labelledby="keys-h">
        <h2 id="keys-h">API keys</h2>
        <ErrorMessage error={keys.error} title="Could not list keys:" />
        <div class="table-wrap">
          <table class="data">
            <caption class="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Revoked</th>
              </tr>
            </thead>
            <tbody>
              {(keys.data?.data ?? []).map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>{k.role}</td>
                  <td>
                    <code>{k.prefix}</code>
                  </td>
                  <td>{dateTime(k.createdAt)}</td>
                  <td>{dateTime(k.lastUsedAt)}</td>
                  <td>{k.revokedAt ? dateTime(k.revokedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" aria-labelledby="audit-h">
        <h2 id="audit-h">Audit log (latest 50)</h2>
        <ErrorMessage error={audit.error} title="Could not read the audit log:" />
        <div class="table-wrap">
          <table class="data">
            <caption class="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Subject</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {(audit.data?.data ?? []).map((a) => (
                <tr key={a.id}>
                  <td>{dateTime(a.at)}</td>
                  <td>
                    {a.actor.name} ({a.actor.role})
                  </td>
                  <td>
                    <code>
                      {a.method} {a.route}
                    </code>
                  </td>
                  <td>{a.subject.id ?? '—'}</td>
                  <td>
                    <Badge
                      value={
                        a.outcome === 'succeeded' ? 'done' : a.outcome === 'unknown' ? 'running' : 'failed'
                      }
                      label={a.outcome}
                    />{' '}
                    {a.statusCode ?? ''} {a.errorCode ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </section>
  );
}
