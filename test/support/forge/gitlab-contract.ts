// GitLab's documented shapes for the calls Drover makes, written down as JSON schemas from
// GitLab's REST API documentation (doc/api/commits.md "Commit status": set the status of a
// commit, list the statuses of a commit; doc/api/notes.md "Merge requests": list, create and
// modify merge request notes; doc/api/merge_requests.md "List project merge requests";
// doc/api/rest/index.md: pagination headers). GitLab publishes no
// machine-readable description of these endpoints, so this file is the contract the GitLab
// stand-in is held to.
import { ApiContract, type OperationSpec } from './openapi-contract.js';

const nullable = (type: string): object => ({ type: [type, 'null'] });
const perPage = { type: 'integer', minimum: 1, maximum: 100 };
const page = { type: 'integer', minimum: 1 };

/** A user as GitLab embeds one (`author`). */
const userBasic = {
  type: 'object',
  required: ['id', 'username', 'name', 'state', 'avatar_url', 'web_url'],
  properties: { id: { type: 'integer' }, username: { type: 'string' }, name: { type: 'string' }, state: { type: 'string' }, avatar_url: nullable('string'), web_url: { type: 'string' } },
};

/** Every status a commit status can have (the job statuses; generic statuses use a subset). */
export const GITLAB_STATUS_VALUES = ['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'success', 'failed', 'canceled', 'skipped', 'manual', 'scheduled'] as const;

const commitStatus = {
  type: 'object',
  required: ['id', 'sha', 'ref', 'status', 'name', 'target_url', 'description', 'created_at', 'started_at', 'finished_at', 'allow_failure', 'author'],
  properties: {
    id: { type: 'integer' },
    sha: { type: 'string', pattern: '^[0-9a-f]{40}$' },
    ref: nullable('string'),
    status: { enum: GITLAB_STATUS_VALUES },
    name: { type: 'string' },
    target_url: nullable('string'),
    description: nullable('string'),
    created_at: { type: 'string' },
    started_at: nullable('string'),
    finished_at: nullable('string'),
    allow_failure: { type: 'boolean' },
    coverage: nullable('number'),
    pipeline_id: { type: 'integer' },
    author: userBasic,
  },
};

const note = {
  type: 'object',
  required: ['id', 'body', 'author', 'created_at', 'updated_at', 'system', 'noteable_id', 'noteable_type', 'noteable_iid', 'project_id', 'resolvable', 'confidential', 'internal'],
  properties: {
    id: { type: 'integer' },
    type: nullable('string'),
    body: { type: 'string' },
    attachment: { type: 'null' },
    author: userBasic,
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
    system: { type: 'boolean' },
    noteable_id: { type: 'integer' },
    noteable_type: { enum: ['Issue', 'MergeRequest', 'Snippet', 'Commit', 'Epic'] },
    noteable_iid: { type: 'integer' },
    project_id: { type: 'integer' },
    resolvable: { type: 'boolean' },
    confidential: { type: 'boolean' },
    internal: { type: 'boolean' },
    imported: { type: 'boolean' },
    imported_from: { type: 'string' },
  },
};

/** A merge request as "List project merge requests" documents it (the fields of its example response). */
const mergeRequest = {
  type: 'object',
  required: [
    'id', 'iid', 'project_id', 'title', 'description', 'state', 'created_at', 'updated_at', 'merged_by', 'merge_user', 'merged_at', 'closed_by', 'closed_at',
    'target_branch', 'source_branch', 'user_notes_count', 'upvotes', 'downvotes', 'author', 'assignees', 'assignee', 'reviewers', 'source_project_id',
    'target_project_id', 'labels', 'draft', 'work_in_progress', 'milestone', 'merge_when_pipeline_succeeds', 'merge_status', 'detailed_merge_status', 'sha',
    'merge_commit_sha', 'squash_commit_sha', 'discussion_locked', 'should_remove_source_branch', 'force_remove_source_branch', 'reference', 'references',
    'web_url', 'time_stats', 'squash', 'task_completion_status', 'has_conflicts', 'blocking_discussions_resolved',
  ],
  properties: {
    id: { type: 'integer' },
    iid: { type: 'integer' },
    project_id: { type: 'integer' },
    title: { type: 'string' },
    description: nullable('string'),
    state: { enum: ['opened', 'closed', 'locked', 'merged'] },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
    merged_by: { anyOf: [userBasic, { type: 'null' }] },
    merge_user: { anyOf: [userBasic, { type: 'null' }] },
    merged_at: nullable('string'),
    closed_by: { anyOf: [userBasic, { type: 'null' }] },
    closed_at: nullable('string'),
    target_branch: { type: 'string' },
    source_branch: { type: 'string' },
    user_notes_count: { type: 'integer' },
    upvotes: { type: 'integer' },
    downvotes: { type: 'integer' },
    author: userBasic,
    assignees: { type: 'array', items: userBasic },
    assignee: { anyOf: [userBasic, { type: 'null' }] },
    reviewers: { type: 'array', items: userBasic },
    source_project_id: { type: 'integer' },
    target_project_id: { type: 'integer' },
    labels: { type: 'array', items: { type: 'string' } },
    draft: { type: 'boolean' },
    work_in_progress: { type: 'boolean' },
    milestone: { type: ['object', 'null'] },
    merge_when_pipeline_succeeds: { type: 'boolean' },
    merge_status: { type: 'string' },
    detailed_merge_status: { type: 'string' },
    sha: { type: 'string', pattern: '^[0-9a-f]{40}$' },
    merge_commit_sha: nullable('string'),
    squash_commit_sha: nullable('string'),
    discussion_locked: { type: ['boolean', 'null'] },
    should_remove_source_branch: { type: ['boolean', 'null'] },
    force_remove_source_branch: { type: ['boolean', 'null'] },
    reference: { type: 'string' },
    references: { type: 'object', required: ['short', 'relative', 'full'], properties: { short: { type: 'string' }, relative: { type: 'string' }, full: { type: 'string' } } },
    web_url: { type: 'string' },
    time_stats: { type: 'object', required: ['time_estimate', 'total_time_spent'], properties: { time_estimate: { type: 'integer' }, total_time_spent: { type: 'integer' }, human_time_estimate: nullable('string'), human_total_time_spent: nullable('string') } },
    squash: { type: 'boolean' },
    task_completion_status: { type: 'object', required: ['count', 'completed_count'], properties: { count: { type: 'integer' }, completed_count: { type: 'integer' } } },
    has_conflicts: { type: 'boolean' },
    blocking_discussions_resolved: { type: 'boolean' },
  },
};

/** `{ "message": … }`: GitLab's error body (a string, or field → messages for validation). */
const error = { type: 'object', required: ['message'], properties: { message: { type: ['string', 'object'] } } };

const operations: OperationSpec[] = [
  {
    operationId: 'merge-requests/list-project',
    method: 'GET',
    template: '/projects/{id}/merge_requests',
    query: {
      state: { enum: ['opened', 'closed', 'locked', 'merged', 'all'] },
      order_by: { enum: ['created_at', 'updated_at', 'title', 'merged_at', 'label_priority', 'milestone_due', 'popularity', 'priority'] },
      sort: { enum: ['asc', 'desc'] },
      source_branch: { type: 'string' },
      target_branch: { type: 'string' },
      per_page: perPage,
      page,
    },
    responses: { 200: { type: 'array', items: mergeRequest }, 401: error, 404: error, 429: error },
  },
  {
    operationId: 'commits/post-status',
    method: 'POST',
    template: '/projects/{id}/statuses/{sha}',
    query: {},
    requestBody: {
      type: 'object',
      required: ['state'],
      additionalProperties: false,
      properties: {
        state: { enum: ['pending', 'running', 'success', 'failed', 'canceled', 'skipped'] },
        ref: { type: 'string' },
        name: { type: 'string' },
        context: { type: 'string' },
        target_url: { type: 'string' },
        description: { type: 'string' },
        coverage: { type: 'number' },
        pipeline_id: { type: 'integer' },
      },
    },
    responses: { 201: commitStatus, 400: error, 401: error, 403: error, 404: error, 409: error, 429: error },
  },
  {
    operationId: 'commits/list-statuses',
    method: 'GET',
    template: '/projects/{id}/repository/commits/{sha}/statuses',
    query: { ref: { type: 'string' }, stage: { type: 'string' }, name: { type: 'string' }, pipeline_id: { type: 'integer' }, order_by: { enum: ['id', 'pipeline_id'] }, sort: { enum: ['asc', 'desc'] }, all: { type: 'boolean' }, per_page: perPage, page },
    responses: { 200: { type: 'array', items: commitStatus }, 401: error, 404: error, 429: error },
  },
  {
    operationId: 'notes/list-merge-request-notes',
    method: 'GET',
    template: '/projects/{id}/merge_requests/{iid}/notes',
    query: { sort: { enum: ['asc', 'desc'] }, order_by: { enum: ['created_at', 'updated_at'] }, per_page: perPage, page },
    responses: { 200: { type: 'array', items: note }, 401: error, 404: error, 429: error },
  },
  {
    operationId: 'notes/create-merge-request-note',
    method: 'POST',
    template: '/projects/{id}/merge_requests/{iid}/notes',
    query: {},
    requestBody: {
      type: 'object',
      required: ['body'],
      additionalProperties: false,
      properties: { body: { type: 'string', maxLength: 1_000_000 }, internal: { type: 'boolean' }, confidential: { type: 'boolean' }, created_at: { type: 'string' }, merge_request_diff_head_sha: { type: 'string' } },
    },
    responses: { 201: note, 400: error, 401: error, 404: error, 429: error },
  },
  {
    operationId: 'notes/modify-merge-request-note',
    method: 'PUT',
    template: '/projects/{id}/merge_requests/{iid}/notes/{note_id}',
    query: {},
    requestBody: { type: 'object', additionalProperties: false, properties: { body: { type: 'string', maxLength: 1_000_000 }, confidential: { type: 'boolean' } } },
    responses: { 200: note, 400: error, 401: error, 404: error, 429: error },
  },
];

export function loadGitLabContract(): ApiContract {
  return new ApiContract('GitLab REST v4 (documented shapes)', operations, {}, () => error);
}
