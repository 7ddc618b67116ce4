/**
 * The lean client speaks HTTPS to an https:// endpoint (as to AWS), verifying the server's
 * certificate against the trusted CAs: here a local TLS server with a self-signed
 * certificate, trusted through NODE_EXTRA_CA_CERTS in a child process (Node reads it at start).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, tempDir } from '../support/kbench-cli.js';

function selfSigned(dir: string): { key: string; cert: string } {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { key, cert };
}

function runChild(endpoint: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  const script = `
    import { LeanDataPlane } from './src/client/lean-data-plane.ts';
    const lean = new LeanDataPlane({ endpoint: ${JSON.stringify(endpoint)}, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxSockets: 1 });
    try {
      const answer = await lean.putRecord('s', { Data: new Uint8Array([1, 2]), PartitionKey: 'k' });
      console.log(JSON.stringify({ ok: answer }));
    } catch (error) {
      console.log(JSON.stringify({ error: error.code ?? error.name }));
    } finally {
      lean.destroy();
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout })));
}

test('HTTPS with a trusted certificate works; an untrusted one is refused', async () => {
  const dir = tempDir();
  const files = selfSigned(dir);
  const seen: string[] = [];
  const server = https.createServer({ key: readFileSync(files.key), cert: readFileSync(files.cert) }, (req, res) => {
    seen.push(String(req.headers['authorization']).slice(0, 16));
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end('{"ShardId":"shardId-000000000001","SequenceNumber":"42"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `https://localhost:${(server.address() as AddressInfo).port}`;
  try {
    const trusted = await runChild(endpoint, { NODE_EXTRA_CA_CERTS: files.cert });
    assert.equal(trusted.code, 0);
    assert.deepEqual(JSON.parse(trusted.stdout), { ok: { ShardId: 'shardId-000000000001', SequenceNumber: '42' } });
    assert.deepEqual(seen, ['AWS4-HMAC-SHA256'], 'the request arrived over TLS, signed');
    const untrusted = await runChild(endpoint, {});
    assert.equal(JSON.parse(untrusted.stdout).error, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
