import { createServer, type RequestListener } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteTracking, serverOrigin, unreachable } from './remote-tracking.ts';

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

/** A server that answers every request with `answer`, and records what it was sent. */
async function serving(answer: RequestListener): Promise<{ url: string; seen: { url: string; authorization: string | undefined }[] }> {
  const seen: { url: string; authorization: string | undefined }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    answer(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  close = () => new Promise((done) => server.close(() => done()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

describe('the MLflow REST client of lathe run --server', () => {
  it('sends the token as a bearer header only, and makes an experiment that is not there', async () => {
    const server = await serving((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/api/2.0/mlflow/experiments/get-by-name')) res.writeHead(404).end('{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no such experiment"}');
      else res.writeHead(200).end('{"experiment_id":"7"}');
    });
    const client = new RemoteTracking({ url: `${server.url}/`, token: 's3cret' });
    expect(await client.experimentId('gpu box')).toBe('7');
    expect(server.seen.map((request) => request.url)).toEqual(['/api/2.0/mlflow/experiments/get-by-name?experiment_name=gpu+box', '/api/2.0/mlflow/experiments/create']);
    expect(server.seen.every((request) => request.authorization === 'Bearer s3cret' && !request.url.includes('s3cret'))).toBe(true);
  });

  it.each([
    ['a server error without MLflow JSON', 500, 'text/html', '<h1>Bad gateway</h1>', 'FAILED_PRECONDITION', 'answered HTTP 500 with something that is not JSON'],
    ['JSON that is not an MLflow error', 404, 'application/json', '{"detail":"Not Found"}', 'FAILED_PRECONDITION', 'answered HTTP 404 without an MLflow error'],
    ['an MLflow refusal', 400, 'application/json', '{"error_code":"INVALID_PARAMETER_VALUE","message":"Missing value for required parameter \'name\'."}', 'INVALID_INPUT', 'refused GET /api/2.0/mlflow/experiments/get-by-name: Missing value'],
    ['an MLflow server error', 503, 'application/json', '{"error_code":"TEMPORARILY_UNAVAILABLE","message":"the disk is full"}', 'UNAVAILABLE', 'the disk is full (TEMPORARILY_UNAVAILABLE)'],
    ['a 403', 403, 'application/json', '{}', 'UNAUTHORIZED', 'refused the token (HTTP 403)'],
  ])('says which server gave %s', async (_what, status, type, body, code, words) => {
    const server = await serving((_req, res) => res.writeHead(status, { 'content-type': type }).end(body));
    const failed = new RemoteTracking({ url: server.url, token: 't' }).experimentId('x').then(
      () => null,
      (thrown: unknown) => thrown,
    );
    const thrown = await failed;
    expect(thrown).toMatchObject({ error: { code, message: expect.stringContaining(words) } });
    expect((thrown as Error).message).toContain(server.url);
    expect(unreachable(thrown)).toBe(code === 'UNAVAILABLE');
  });

  it('gives up on a server that does not answer in time, as out of reach', async () => {
    const server = await serving(() => undefined); // never answers
    const thrown = await new RemoteTracking({ url: server.url, token: 't', timeoutMs: 200 }).experimentId('x').catch((error: unknown) => error);
    expect(thrown).toMatchObject({ error: { code: 'UNAVAILABLE', message: `Could not reach the Lathe server at ${server.url} (no answer within 0.2 s).` } });
    expect(unreachable(thrown)).toBe(true);
  });

  it.each([
    ['not a url', 'is not a URL'],
    ['file:///etc/passwd', 'only http:// and https://'],
    ['http://me:token@lathe:8080', 'no user, password, query'],
    ['http://lathe:8080/?token=abc', 'no user, password, query'],
    ['http://lathe:8080/api', 'without a path'],
  ])('refuses --server %s', (url, words) => {
    expect(() => serverOrigin(url)).toThrow(words);
  });
});
