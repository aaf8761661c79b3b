// A local stand-in for the GitLab REST API v4: commit statuses, merge request notes and the list
// of merge requests (state, target branch, order and sort as documented), with
// GitLab's documented behaviour (PRIVATE-TOKEN auth, project by ID or URL-encoded path,
// latest-per-name listing unless `all`, x-next-page pagination, and the refused same-state
// transition of a running or pending status). Requests and responses are checked against the
// documented shapes in gitlab-contract.ts.
import { loadGitLabContract } from './gitlab-contract.js';
import type { ApiContract } from './openapi-contract.js';
import { startJsonServer, type Fault, type JsonReply, type JsonRequest, type RecordedRequest, type Route } from './json-http-server.js';

export interface GitLabStatusRow {
  id: number;
  sha: string;
  ref: string | null;
  status: string;
  name: string;
  target_url: string | null;
  description: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}
export interface GitLabNoteRow {
  id: number;
  iid: number;
  body: string;
  system: boolean;
  created_at: string;
  updated_at: string;
}

/** A merge request as the stand-in keeps it; `addMergeRequest` makes one. */
export interface GitLabMergeRequestRow {
  id: number;
  iid: number;
  title: string;
  state: 'opened' | 'closed' | 'merged';
  source_branch: string;
  target_branch: string;
  sha: string;
  created_at: string;
  updated_at: string;
}

export interface GitLabApiServer {
  /** The GitLab root URL to give the adapter (the API is under /api/v4). */
  readonly baseUrl: string;
  readonly contract: ApiContract;
  readonly requests: RecordedRequest[];
  statuses(sha: string): GitLabStatusRow[];
  notes(iid: number): GitLabNoteRow[];
  /** Adds a system note or another user's note to a merge request. */
  addNote(iid: number, body: string, system?: boolean): void;
  /** Opens a merge request (iids count up from 1). */
  addMergeRequest(mr: { title: string; sourceBranch: string; sha: string; targetBranch?: string }): GitLabMergeRequestRow;
  /** A push to its source branch (`sha`) or closing it (`state`). */
  updateMergeRequest(iid: number, change: { sha?: string; state?: 'opened' | 'closed' | 'merged' }): void;
  failNext(fault: Fault, times?: number): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const PROJECT_ID = 42;

export async function startGitLabApiServer(options: { token: string; project: string; contract?: ApiContract }): Promise<GitLabApiServer> {
  const contract = options.contract ?? loadGitLabContract();
  const statuses: GitLabStatusRow[] = [];
  const notes: GitLabNoteRow[] = [];
  const mergeRequests: GitLabMergeRequestRow[] = [];
  let nextId = 1;
  let clock = Date.parse('2026-11-25T08:00:00Z');
  const stamp = (): string => new Date((clock += 1000)).toISOString();
  const author = (origin: string) => ({ id: 7, username: 'drover-bot', name: 'Drover', state: 'active', avatar_url: null, web_url: `${origin}/drover-bot` });
  const origin = (req: JsonRequest): string => `http://${String(req.headers.host)}`;

  const operation = (operationId: string, method: string, template: string, handle: (req: JsonRequest) => JsonReply): Route => ({
    method,
    template: `/api/v4${template}`,
    handle: (req) => {
      const problems = contract.checkRequest(operationId, req.query, req.body);
      const reply = problems.length ? { status: 400, body: { message: problems.join('; ') } } : knownProject(req) ?? handle(req);
      contract.checkResponse(operationId, reply.status, reply.body);
      return reply;
    },
  });
  const knownProject = (req: JsonRequest): JsonReply | undefined =>
    req.params.id === String(PROJECT_ID) || req.params.id === options.project ? undefined : { status: 404, body: { message: '404 Project Not Found' } };
  const paged = <T>(req: JsonRequest, items: T[]): { body: T[]; headers: Record<string, string> } => {
    const perPage = Number(req.query.get('per_page') ?? 20);
    const n = Number(req.query.get('page') ?? 1);
    const totalPages = Math.max(1, Math.ceil(items.length / perPage));
    return {
      body: items.slice((n - 1) * perPage, n * perPage),
      headers: { 'x-page': String(n), 'x-per-page': String(perPage), 'x-next-page': n < totalPages ? String(n + 1) : '', 'x-prev-page': n > 1 ? String(n - 1) : '', 'x-total': String(items.length), 'x-total-pages': String(totalPages) },
    };
  };
  const toStatus = (s: GitLabStatusRow, o: string) => ({ ...s, allow_failure: false, coverage: null, author: author(o) });
  const toNote = (n: GitLabNoteRow, o: string) => ({
    id: n.id,
    type: null,
    body: n.body,
    attachment: null,
    author: author(o),
    created_at: n.created_at,
    updated_at: n.updated_at,
    system: n.system,
    noteable_id: 1000 + n.iid,
    noteable_type: 'MergeRequest',
    noteable_iid: n.iid,
    project_id: PROJECT_ID,
    resolvable: false,
    confidential: false,
    internal: false,
    imported: false,
    imported_from: 'none',
  });
  const FINISHED = new Set(['success', 'failed', 'canceled', 'skipped']);
  const EVENT: Record<string, string> = { pending: 'enqueue', running: 'run', success: 'succeed', failed: 'drop', canceled: 'cancel', skipped: 'skip' };

  const toMergeRequest = (mr: GitLabMergeRequestRow, o: string) => ({
    id: mr.id,
    iid: mr.iid,
    project_id: PROJECT_ID,
    title: mr.title,
    description: null,
    state: mr.state,
    created_at: mr.created_at,
    updated_at: mr.updated_at,
    merged_by: null,
    merge_user: null,
    merged_at: null,
    closed_by: mr.state === 'closed' ? author(o) : null,
    closed_at: mr.state === 'closed' ? mr.updated_at : null,
    target_branch: mr.target_branch,
    source_branch: mr.source_branch,
    user_notes_count: notes.filter((n) => n.iid === mr.iid).length,
    upvotes: 0,
    downvotes: 0,
    author: author(o),
    assignees: [],
    assignee: null,
    reviewers: [],
    source_project_id: PROJECT_ID,
    target_project_id: PROJECT_ID,
    labels: [],
    draft: false,
    work_in_progress: false,
    milestone: null,
    merge_when_pipeline_succeeds: false,
    merge_status: 'can_be_merged',
    detailed_merge_status: 'mergeable',
    sha: mr.sha,
    merge_commit_sha: null,
    squash_commit_sha: null,
    discussion_locked: null,
    should_remove_source_branch: null,
    force_remove_source_branch: false,
    reference: `!${mr.iid}`,
    references: { short: `!${mr.iid}`, relative: `!${mr.iid}`, full: `${options.project}!${mr.iid}` },
    web_url: `${o}/${options.project}/-/merge_requests/${mr.iid}`,
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    squash: false,
    task_completion_status: { count: 0, completed_count: 0 },
    has_conflicts: false,
    blocking_discussions_resolved: true,
  });

  const routes: Route[] = [
    operation('merge-requests/list-project', 'GET', '/projects/{id}/merge_requests', (req) => {
      const state = req.query.get('state') ?? 'all';
      const target = req.query.get('target_branch');
      const source = req.query.get('source_branch');
      const key = req.query.get('order_by') === 'updated_at' ? 'updated_at' : 'created_at';
      const asc = req.query.get('sort') === 'asc'; // GitLab's default is desc
      const rows = mergeRequests
        .filter((m) => state === 'all' || m.state === state)
        .filter((m) => target === null || m.target_branch === target)
        .filter((m) => source === null || m.source_branch === source)
        .sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id - b.id) * (asc ? 1 : -1));
      const p = paged(req, rows);
      return { status: 200, headers: p.headers, body: p.body.map((m) => toMergeRequest(m, origin(req))) };
    }),
    operation('commits/post-status', 'POST', '/projects/{id}/statuses/{sha}', (req) => {
      const b = req.body as { state: string; name?: string; context?: string; ref?: string; target_url?: string; description?: string };
      const sha = req.params.sha!;
      if (!/^[0-9a-f]{40}$/.test(sha)) return { status: 404, body: { message: '404 Commit Not Found' } };
      const name = b.name ?? b.context ?? 'default';
      const ref = b.ref ?? 'main';
      // GitLab transitions the running or pending status of that name; a finished one is left and a new one created.
      const open = [...statuses].reverse().find((s) => s.sha === sha && s.name === name && s.ref === ref && !FINISHED.has(s.status));
      if (open && open.status === b.state && (b.state === 'running' || b.state === 'pending')) {
        return { status: 400, body: { message: `Cannot transition status via :${EVENT[b.state]} from :${open.status} (Reason(s): Status cannot transition via "${EVENT[b.state]}")` } };
      }
      const now = stamp();
      const row: GitLabStatusRow = open ?? { id: nextId++, sha, ref, status: 'created', name, target_url: null, description: null, created_at: now, started_at: null, finished_at: null };
      row.status = b.state;
      if (b.target_url !== undefined) row.target_url = b.target_url;
      if (b.description !== undefined) row.description = b.description;
      if (b.state === 'running') row.started_at ??= now;
      if (FINISHED.has(b.state)) row.finished_at = now;
      if (!open) statuses.push(row);
      return { status: 201, body: toStatus(row, origin(req)) };
    }),
    operation('commits/list-statuses', 'GET', '/projects/{id}/repository/commits/{sha}/statuses', (req) => {
      let rows = statuses.filter((s) => s.sha === req.params.sha).sort((a, b) => b.id - a.id);
      if (req.query.get('all') !== 'true') {
        const seen = new Set<string>();
        rows = rows.filter((s) => !seen.has(`${s.name}|${s.ref}`) && seen.add(`${s.name}|${s.ref}`));
      }
      const p = paged(req, rows);
      return { status: 200, headers: p.headers, body: p.body.map((s) => toStatus(s, origin(req))) };
    }),
    operation('notes/list-merge-request-notes', 'GET', '/projects/{id}/merge_requests/{iid}/notes', (req) => {
      const key = req.query.get('order_by') === 'updated_at' ? 'updated_at' : 'created_at';
      const asc = req.query.get('sort') === 'asc'; // GitLab's default is desc
      const rows = notes.filter((n) => n.iid === Number(req.params.iid)).sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id - b.id) * (asc ? 1 : -1));
      const p = paged(req, rows);
      return { status: 200, headers: p.headers, body: p.body.map((n) => toNote(n, origin(req))) };
    }),
    operation('notes/create-merge-request-note', 'POST', '/projects/{id}/merge_requests/{iid}/notes', (req) => {
      const now = stamp();
      const row: GitLabNoteRow = { id: nextId++, iid: Number(req.params.iid), body: (req.body as { body: string }).body, system: false, created_at: now, updated_at: now };
      notes.push(row);
      return { status: 201, body: toNote(row, origin(req)) };
    }),
    operation('notes/modify-merge-request-note', 'PUT', '/projects/{id}/merge_requests/{iid}/notes/{note_id}', (req) => {
      const row = notes.find((n) => n.id === Number(req.params.note_id) && n.iid === Number(req.params.iid));
      if (!row) return { status: 404, body: { message: '404 Note Not Found' } };
      const body = (req.body as { body?: string }).body;
      if (body !== undefined) row.body = body;
      row.updated_at = stamp();
      return { status: 200, body: toNote(row, origin(req)) };
    }),
  ];

  const server = await startJsonServer({
    routes,
    guard: (req) => {
      const token = req.headers['private-token'] ?? String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      return token === options.token ? undefined : { status: 401, body: { message: '401 Unauthorized' } };
    },
  });
  return {
    baseUrl: server.url,
    contract,
    requests: server.requests,
    statuses: (sha) => statuses.filter((s) => s.sha === sha),
    notes: (iid) => notes.filter((n) => n.iid === iid),
    addNote: (iid, body, system = false) => {
      const now = stamp();
      notes.push({ id: nextId++, iid, body, system, created_at: now, updated_at: now });
    },
    addMergeRequest: (mr) => {
      const now = stamp();
      const row: GitLabMergeRequestRow = { id: 5000 + mergeRequests.length + 1, iid: mergeRequests.length + 1, title: mr.title, state: 'opened', source_branch: mr.sourceBranch, target_branch: mr.targetBranch ?? 'main', sha: mr.sha, created_at: now, updated_at: now };
      mergeRequests.push(row);
      return row;
    },
    updateMergeRequest: (iid, change) => {
      const row = mergeRequests.find((m) => m.iid === iid);
      if (!row) throw new Error(`gitlab stand-in: no merge request !${iid}`);
      if (change.sha) row.sha = change.sha;
      if (change.state) row.state = change.state;
      row.updated_at = stamp();
    },
    failNext: (f, times) => server.failNext(f, times),
    clearFaults: () => server.clearFaults(),
    close: () => server.close(),
  };
}
