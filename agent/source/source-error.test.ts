import { describe, expect, it } from 'vitest';
import { SourceError } from '../core/errors.js';
import { SourceFailure, toSourceError } from './source-error.js';

const where = 'https://git.example.com/fleet.git@main';
const httpError = (statusCode: number, statusMessage: string, response = '') =>
  Object.assign(new Error(`HTTP Error: ${statusCode} ${statusMessage}`), { code: 'HttpError', data: { statusCode, statusMessage, response } });

describe('toSourceError', () => {
  it.each([
    [httpError(401, 'Unauthorized'), SourceFailure.AuthRefused, 'transient', `${where} auth refused: HTTP 401 Unauthorized`],
    [httpError(403, 'Forbidden'), SourceFailure.AuthRefused, 'transient', `${where} auth refused: HTTP 403 Forbidden`],
    [httpError(404, 'Not Found'), SourceFailure.RepoNotFound, 'terminal', `${where} repository not found: HTTP 404 Not Found`],
    [httpError(503, 'Service Unavailable'), SourceFailure.Unreachable, 'transient', `${where} unreachable: HTTP 503 Service Unavailable`],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), SourceFailure.Unreachable, 'transient', `${where} unreachable: connect ECONNREFUSED 127.0.0.1:9`],
    [Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }), SourceFailure.Unreachable, 'transient', `${where} unreachable: request timed out`],
    [Object.assign(new Error('canceled'), { code: 'UserCanceledError' }), SourceFailure.AuthRefused, 'transient', `${where} auth refused: credentials rejected`],
    [new Error('Remote did not reply: upload-pack: not our ref 1234'), SourceFailure.RefMissing, 'terminal', `${where} ref not found: the server does not have this commit`],
    [new Error('Something odd.'), SourceFailure.Failed, 'transient', `${where} fetch failed: something odd`],
  ])('classifies %s', (cause, reason, retry, message) => {
    const e = toSourceError(cause, where, []);
    expect(e).toBeInstanceOf(SourceError);
    expect(e.message).toBe(message);
    expect(e.data).toEqual({ reason, where });
    expect(e.retry).toBe(retry);
    expect(e.cause).toBe(cause);
  });

  it('masks credentials anywhere in the cause', () => {
    const cause = httpError(401, 'Unauthorized', 'bad token hunter22 for user');
    cause.message += ' hunter22';
    const e = toSourceError(cause, where, ['hunter22']);
    expect(e.message).not.toContain('hunter22');
    expect(String((e.cause as Error).message)).not.toContain('hunter22');
    expect(String((e.cause as Error).stack)).not.toContain('hunter22');
    expect(JSON.stringify((e.cause as { data: unknown }).data)).not.toContain('hunter22');
  });
});
