/**
 * Every HTTP-level answer outside GraphQL is JSON in the GraphQL error shape: the capped body
 * parser's refusals, unknown paths, and any error that reached Express.
 */
import express from 'express';
import { isErrorCode } from '../../lib/errors';
import { listen, type RunningServer } from '../../lib/http/http-server';
import { errorHandler, jsonBody, notFound, sendError } from './http-errors';

let server: RunningServer;

beforeAll(async () => {
  const app = express();
  app.post('/echo', jsonBody(64), (req, res) => {
    res.json({ got: req.body as unknown });
  });
  app.get('/throws', () => {
    throw new Error('connect ECONNREFUSED 10.0.0.5:5432 select * from child');
  });
  app.get('/refused', (_req, _res, next) => {
    next(Object.assign(new Error('forbidden by upstream middleware'), { status: 403 }));
  });
  app.get('/overloaded', (_req, res) => {
    sendError(res, 503, 'OVERLOADED');
  });
  app.use(notFound);
  app.use(errorHandler);
  server = await listen(app, 0);
});
afterAll(() => server.close());

async function call(path: string, init?: RequestInit) {
  const response = await fetch(`${server.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text };
}

const post = (body: string, headers: Record<string, string> = {}) =>
  call('/echo', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });

describe('the JSON body parser', () => {
  it('reads a body under the cap', async () => {
    const { status, text } = await post(JSON.stringify({ query: '{ a }' }));
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({ got: { query: '{ a }' } });
  });

  it('refuses a body over the cap with 413 PAYLOAD_TOO_LARGE', async () => {
    const { status, type, text } = await post(JSON.stringify({ query: 'x'.repeat(100) }));
    expect(status).toBe(413);
    expect(type).toMatch(/^application\/json/);
    expect(JSON.parse(text)).toEqual({
      errors: [
        { message: 'The request body is too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } },
      ],
    });
  });

  it('refuses malformed JSON with 400 BAD_REQUEST and no parser text', async () => {
    const { status, text } = await post('{"query": ');
    expect(status).toBe(400);
    expect(JSON.parse(text)).toEqual({
      errors: [
        { message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } },
      ],
    });
  });

  it('refuses an encoding it cannot read with 415', async () => {
    const { status, text } = await post('{}', { 'Content-Encoding': 'x-unknown' });
    expect(status).toBe(415);
    expect(JSON.parse(text).errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
  });
});

describe('the final handlers', () => {
  it('answer an unknown path with a JSON 404', async () => {
    const { status, type, text } = await call('/nowhere');
    expect(status).toBe(404);
    expect(type).toMatch(/^application\/json/);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }],
    });
  });

  it('answer an unexpected error with a JSON 500 that quotes nothing of it', async () => {
    const { status, type, text } = await call('/throws');
    expect(status).toBe(500);
    expect(type).toMatch(/^application\/json/);
    expect(JSON.parse(text)).toEqual({
      errors: [
        { message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ],
    });
    expect(text).not.toMatch(/ECONNREFUSED|select|at |<html/i);
  });

  it('keep a 4xx status another middleware gave, with its own text withheld', async () => {
    const { status, text } = await call('/refused');
    expect(status).toBe(403);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'The request could not be read.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('sendError uses the code’s standard text and only codes from the one list', async () => {
    const { status, text } = await call('/overloaded');
    expect(status).toBe(503);
    const body = JSON.parse(text);
    expect(body).toEqual({
      errors: [
        { message: 'CLA Graph is busy; try again shortly.', extensions: { code: 'OVERLOADED' } },
      ],
    });
    expect(isErrorCode(body.errors[0].extensions.code)).toBe(true);
  });
});
