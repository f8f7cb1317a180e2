import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Worker } from 'node:worker_threads';

import { OPENAPI_JSON_PATH } from './openapi';

/**
 * The API reference at `/reference`: Scalar (a maintained OpenAPI renderer) on the committed spec,
 * beside Swagger UI at `/docs`. Chosen for people: it reflows to phone width, is keyboard-usable,
 * and after the colour overrides in {@link REFERENCE_CSS} has no serious axe finding (the browser
 * test `apps/web/e2e/a11y.e2e.mjs` checks it); see docs/DECISIONS.md.
 *
 * Self-hosted and CSP-clean: the plugin serves only its bundled script (no CDN, no fonts, no
 * agent or telemetry); the page is ours, without inline script — Scalar reads its configuration
 * from the `data-*` attributes of an inert `<script type="application/json" id="api-reference">`.
 */
export const REFERENCE_PATH = '/reference';
const ASSETS_PREFIX = `${REFERENCE_PATH}/assets` as const;
const SCRIPT_PATH = `${ASSETS_PREFIX}/js/scalar.js`;
const STYLE_PATH = `${REFERENCE_PATH}/theme.css`;

/** What Scalar is told: the spec, no network beyond this origin, nothing hidden that people need. */
const SCALAR_CONFIGURATION = {
  url: `/${OPENAPI_JSON_PATH}`,
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  // The "Open API Client" button leads to client.scalar.com; "Test Request" on each operation works here.
  hideClientButton: true,
  // Its toolbar (on localhost) offers sharing and deploying through scalar.com: not for a self-hosted page.
  showDeveloperTools: 'never',
  defaultOpenAllTags: false,
  layout: 'modern',
  pageTitle: 'Atrium API reference',
};

/**
 * Overrides of Scalar's styles, each for a finding of axe: colours at WCAG AA contrast (4.5:1 for
 * text) on its own backgrounds, light and dark (its defaults put secondary text, the search
 * placeholder and the method badges at 2.5–4.2:1), and a name for the code blocks' copy buttons.
 */
export const REFERENCE_CSS = `
.light-mode {
  --scalar-color-2: #545454;
  --scalar-color-3: #5e5e5e;
  --scalar-color-accent: #005fa3;
  --scalar-color-green: #00704a;
  --scalar-color-red: #b80005;
  --scalar-color-yellow: #7a5c00;
  --scalar-color-blue: #005f99;
  --scalar-color-orange: #a63a00;
  --scalar-color-purple: #4a03bd;
  --scalar-color-query: #00666a;
}
.dark-mode {
  --scalar-color-2: #c2c2c2;
  --scalar-color-3: #adadad;
  --scalar-color-accent: #5cc8ff;
  --scalar-color-green: #2fd67a;
  --scalar-color-red: #ff6b69;
  --scalar-color-blue: #7cc6f2;
  --scalar-color-purple: #c7b0fb;
}
/* A code block's copy button is named only while the block is hovered or focused: name it always ("Copy"). */
.scalar-code-copy .sr-only > span { display: inline !important; }
.scalar-code-copy .sr-only > span > span:first-child { display: none !important; }
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation-duration: 0.01ms !important; transition-duration: 0.01ms !important; scroll-behavior: auto !important; }
}
`;

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const REFERENCE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Atrium API reference</title>
    <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
    <link rel="stylesheet" href="${STYLE_PATH}" />
  </head>
  <body>
    <noscript>This reference needs JavaScript. The spec itself: <a href="/${OPENAPI_JSON_PATH}">/${OPENAPI_JSON_PATH}</a>.</noscript>
    <script id="api-reference" type="application/json" data-configuration="${escapeAttribute(JSON.stringify(SCALAR_CONFIGURATION))}"></script>
    <script src="${SCRIPT_PATH}"></script>
  </body>
</html>
`;

export function setupApiReference(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();

  fastify.get(REFERENCE_PATH, (_request, reply) => {
    void reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(REFERENCE_HTML);
  });
  fastify.get(STYLE_PATH, (_request, reply) => {
    void reply.header('Cache-Control', 'public, max-age=3600').type('text/css; charset=utf-8').send(REFERENCE_CSS);
  });
  fastify.get(SCRIPT_PATH, async (request, reply) => {
    const script = await scalarScript();
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    if (gzip) void reply.header('Content-Encoding', 'gzip');
    return reply
      .header('Cache-Control', 'public, max-age=86400')
      .header('Vary', 'Accept-Encoding')
      .type('application/javascript; charset=utf-8')
      .send(gzip ? script.gzip : script.raw);
  });
  // Where the plugin would have served a page of its own (with an inline script): ours.
  const toReference = (_request: FastifyRequest, reply: FastifyReply) => reply.redirect(REFERENCE_PATH, 302);
  fastify.get(ASSETS_PREFIX, toReference);
  fastify.get(`${ASSETS_PREFIX}/*`, toReference);
}

/**
 * Scalar's script (4.3 MB, and 1.2 MB gzipped), taken from its Fastify plugin by a worker thread
 * at the first request for it, then kept as two buffers outside the JavaScript heap. The plugin
 * carries the script as a string literal in its module: imported into the API, its source and the
 * literal held 17 MB of every process's heap for a page few requests ask for (decision 91). The
 * worker's heap goes when it ends.
 */
let script: Promise<{ raw: Buffer; gzip: Buffer }> | undefined;
function scalarScript(): Promise<{ raw: Buffer; gzip: Buffer }> {
  script ??= extractScalarScript().catch((error: unknown) => {
    script = undefined;
    throw error;
  });
  return script;
}

const EXTRACT_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const { gzipSync } = require('node:zlib');
(async () => {
  const { default: plugin } = await import(pathToFileURL(workerData.plugin).href);
  const server = require(workerData.fastify)({ logger: false });
  await server.register(plugin, { routePrefix: '/scalar', configuration: { url: '/openapi.json' } });
  const answer = await server.inject({ method: 'GET', url: '/scalar/js/scalar.js' });
  if (answer.statusCode !== 200) throw new Error('the Scalar plugin answered ' + answer.statusCode + ' for its script');
  parentPort.postMessage({ raw: answer.rawPayload, gzip: gzipSync(answer.rawPayload) });
})();
`;

function extractScalarScript(): Promise<{ raw: Buffer; gzip: Buffer }> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(EXTRACT_SCRIPT, {
      eval: true,
      workerData: {
        plugin: require.resolve('@scalar/fastify-api-reference'),
        fastify: require.resolve('fastify'),
      },
    });
    const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    worker.once('message', (message: { raw: Uint8Array; gzip: Uint8Array }) => {
      resolvePromise({ raw: asBuffer(message.raw), gzip: asBuffer(message.gzip) });
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker reading Scalar's script exited (${code})`)));
  });
}
