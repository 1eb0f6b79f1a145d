#!/usr/bin/env node
// Local S3 server for Capture development and tests.
//
//   node s3rver-launcher.mjs --dir DIR [--address 127.0.0.1] [--port PORT]
//                            [--access-key K --secret-key S] [--verbose]
//
// Runs s3rver 3.7.1 (an S3 API served from a directory) with one extra Koa middleware in
// front of all of s3rver's own middleware. It fixes the three things the Minio .NET 7.0.0
// client trips over (see README.md):
//   1. the wrong XML namespace s3rver writes in its response bodies;
//   2. "%2F" (and other reserved-character escapes) left encoded in x-amz-copy-source;
//   3. encoding-type=url ignored on object listings.
//
// Prints exactly one line "s3 ready http://ADDRESS:PORT" on stdout once it is listening
// (PORT is the real port, so --port 0 picks a free one). Exits 2 on bad arguments, 1 if the
// server cannot listen (e.g. the port is taken), 0 after SIGTERM/SIGINT.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import S3rver from 's3rver';

const require = createRequire(import.meta.url);

const WRONG_NAMESPACE = 'http://doc.s3.amazonaws.com/2006-03-01/';
const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

// Elements of ListBucketResult (V1 and V2) that S3 URL-encodes when encoding-type=url.
// <Prefix> covers both the top-level prefix and CommonPrefixes/Prefix.
const URL_ENCODED_LIST_ELEMENTS = /<(Key|Prefix|Delimiter|StartAfter|Marker|NextMarker)>([^<]*)<\/\1>/g;

function fail(code, message) {
  process.stderr.write(`s3rver-launcher: ${message}\n`);
  process.exit(code);
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        dir: { type: 'string' },
        address: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '4568' },
        'access-key': { type: 'string' },
        'secret-key': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(2, `${err.message}\nusage: node s3rver-launcher.mjs --dir DIR [--address 127.0.0.1] [--port PORT] [--access-key K --secret-key S] [--verbose]`);
  }
  if (values.help) {
    process.stdout.write(
      'usage: node s3rver-launcher.mjs --dir DIR [--address 127.0.0.1] [--port PORT] ' +
        '[--access-key K --secret-key S] [--verbose]\n',
    );
    process.exit(0);
  }
  if (!values.dir) fail(2, '--dir DIR is required (the directory the buckets are stored in)');
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
    fail(2, `--port must be a number between 0 and 65535, got "${values.port}"`);
  }
  const accessKey = values['access-key'];
  const secretKey = values['secret-key'];
  if ((accessKey === undefined) !== (secretKey === undefined)) {
    fail(2, '--access-key and --secret-key must be given together');
  }
  if (accessKey === '' || secretKey === '') fail(2, '--access-key and --secret-key must not be empty');
  return {
    directory: path.resolve(values.dir),
    address: values.address,
    port: Number(values.port),
    accessKey,
    secretKey,
    verbose: values.verbose,
  };
}

// --- the three fixes -------------------------------------------------------------------------

function decodeXmlText(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (entity, name) => {
    switch (name) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      default:
        return String.fromCodePoint(
          name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10),
        );
    }
  });
}

// Percent-encodes everything but RFC 3986 unreserved characters and '/', like MinIO does for
// encoding-type=url. The result is plain ASCII with no XML-special characters, and decodes
// correctly with both HttpUtility.UrlDecode ('+' is sent as %2B) and Uri.UnescapeDataString.
function s3UrlEncode(value) {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, ch => '%' + ch.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%2F/g, '/');
}

function urlEncodeListing(xml) {
  let result = xml.replace(
    URL_ENCODED_LIST_ELEMENTS,
    (_, element, text) => `<${element}>${s3UrlEncode(decodeXmlText(text))}</${element}>`,
  );
  if (!/<EncodingType>/.test(result)) {
    result = result.replace(/<\/ListBucketResult>\s*$/, '<EncodingType>url</EncodingType></ListBucketResult>');
  }
  return result;
}

function normalizeCopySource(header) {
  try {
    return encodeURI(decodeURIComponent(header));
  } catch {
    return header.replace(/%2f/gi, '/'); // malformed escapes: at least fix the slashes
  }
}

function wantsUrlEncoding(ctx) {
  const value = ctx.query['encoding-type'];
  return typeof value === 'string' && value.toLowerCase() === 'url';
}

// Runs around every other middleware: it is put first in s3rver's Koa middleware array, so
// by the time `await next()` returns, s3rver has already turned its response object into an
// XML string. Errors thrown by s3rver skip the after-part and are written by s3rver's own
// context.onerror (whose XML carries no namespace).
async function minioCompatibility(ctx, next) {
  // Fix 2: s3rver runs decodeURI() on x-amz-copy-source, and decodeURI leaves the escapes
  // of reserved characters alone, so a source key "a/b" sent as "/bucket/a%2Fb" is looked up
  // as "a%2Fb" (same for %2B "+", %3A ":", %3D "=", %40 "@", ...). Decode the header fully
  // and re-escape it with encodeURI, so that s3rver's decodeURI yields the real key.
  const copySource = ctx.request.headers['x-amz-copy-source'];
  if (typeof copySource === 'string' && copySource.includes('%')) {
    ctx.request.headers['x-amz-copy-source'] = normalizeCopySource(copySource);
  }

  await next();

  if (typeof ctx.body !== 'string') return; // streams and buffers are object data: leave them
  let body = ctx.body;

  // Fix 1: the namespace Minio deserializes with XmlSerializer; with s3rver's typo it finds
  // no ListBucketResult/CopyObjectResult elements at all.
  if (body.includes(WRONG_NAMESPACE)) body = body.split(WRONG_NAMESPACE).join(S3_NAMESPACE);

  // Fix 3: s3rver reads encoding-type but never applies it ("currently unimplemented").
  if (ctx.method === 'GET' && wantsUrlEncoding(ctx) && body.includes('<ListBucketResult')) {
    body = urlEncodeListing(body);
  }

  if (body !== ctx.body) ctx.body = body; // content-type stays application/xml (set explicitly)
}

// --- start / stop ----------------------------------------------------------------------------

function configureCredentials(accessKey, secretKey) {
  if (accessKey === undefined) return; // s3rver's built-in S3RVER / S3RVER
  // s3rver never checks V4 signatures, but it does reject unknown access key ids. Registering
  // only the configured key (and dropping the default one) at least catches a client that is
  // configured with the wrong access key.
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account');
  if (accessKey !== 'S3RVER') DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
  DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);
}

async function main() {
  const options = parseOptions();

  try {
    fs.mkdirSync(options.directory, { recursive: true });
  } catch (err) {
    fail(1, `cannot create data directory ${options.directory}: ${err.message}`);
  }
  configureCredentials(options.accessKey, options.secretKey);

  const s3rver = new S3rver({
    address: options.address,
    port: options.port,
    directory: options.directory,
    silent: !options.verbose,
  });
  // S3rver extends Koa, so its middleware array is Koa's; it is composed in callback() below,
  // so it must be changed before that call.
  s3rver.middleware.unshift(minioCompatibility);

  // S3rver#run()/listen() never report a listen error (the promise neither resolves nor
  // rejects and the 'error' event goes unhandled), so create the HTTP server here.
  const httpServer = http.createServer(s3rver.callback());
  s3rver.httpServer = httpServer; // lets s3rver.close() work as usual
  httpServer.on('close', () => s3rver.logger.close());

  await new Promise(resolve => {
    httpServer.once('error', err => {
      const where = `${options.address}:${options.port}`;
      if (err.code === 'EADDRINUSE') fail(1, `port ${where} is already in use; choose another --port`);
      if (err.code === 'EADDRNOTAVAIL') fail(1, `address ${options.address} is not available on this machine`);
      if (err.code === 'EACCES') fail(1, `not allowed to listen on ${where}`);
      fail(1, `cannot listen on ${where}: ${err.message}`);
    });
    httpServer.listen(options.port, options.address, resolve);
  });
  httpServer.on('error', err => process.stderr.write(`s3rver-launcher: server error: ${err.message}\n`));

  const { address, port } = httpServer.address();
  const host = address.includes(':') ? `[${address}]` : address;
  process.stdout.write(`s3 ready http://${host}:${port}\n`);

  let stopping = false;
  const stop = signal => {
    if (stopping) process.exit(0); // second signal: don't wait any longer
    stopping = true;
    if (options.verbose) process.stderr.write(`s3rver-launcher: ${signal}, stopping\n`);
    // Idle keep-alive connections are closed by close(); give requests in flight a moment,
    // then drop whatever is still open.
    const force = setTimeout(() => httpServer.closeAllConnections(), 2000);
    const hard = setTimeout(() => process.exit(0), 5000);
    force.unref();
    hard.unref();
    s3rver.close().then(
      () => process.exit(0),
      err => {
        process.stderr.write(`s3rver-launcher: error while stopping: ${err.message}\n`);
        process.exit(0);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch(err => fail(1, err.stack || String(err)));
