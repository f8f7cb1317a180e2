// Fails (exit 1) when the committed OpenAPI spec or the generated client differ from what the
// code produces, or when the SDK's version (libs/api-client/package.json) is not the API's
// (apps/api/package.json, the spec's info.version). Needs the API built (`npm run build`).
// Fix with `npm run api:generate`; a version bump changes both package.json files together.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const committedSpec = join(root, 'apps/api/openapi.json');
const committedClient = join(root, 'libs/api-client/src/schema.d.ts');
// npm may hoist the generator or keep it beside the client (it pins its own TypeScript 5).
const generator = ['libs/api-client/node_modules', 'node_modules']
  .map((modules) => join(root, modules, 'openapi-typescript/bin/cli.js'))
  .find((path) => existsSync(path));
const dir = mkdtempSync(join(tmpdir(), 'atrium-api-drift-'));

/** The first differing line, so the failure says where to look. */
function firstDifference(expected, actual) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}:\n  committed: ${a[at] ?? '<end of file>'}\n  generated: ${b[at] ?? '<end of file>'}`;
}

try {
  const spec = join(dir, 'openapi.json');
  const client = join(dir, 'schema.d.ts');
  execFileSync(process.execPath, [join(root, 'apps/api/dist/openapi-generate.js'), spec], { stdio: 'pipe' });
  execFileSync(process.execPath, [generator, committedSpec, '-o', client], {
    stdio: 'pipe',
    cwd: join(root, 'libs/api-client'),
  });
  const problems = [];
  let regenerate = false; // problems that `npm run api:generate` fixes
  for (const [name, committed, generated] of [
    ['apps/api/openapi.json', committedSpec, spec],
    ['libs/api-client/src/schema.d.ts', committedClient, client],
  ]) {
    const want = readFileSync(generated, 'utf8');
    const have = readFileSync(committed, 'utf8');
    if (want !== have) {
      problems.push(`${name} is out of date (${firstDifference(have, want)})`);
      regenerate = true;
    }
  }
  // The published SDK speaks exactly one API version: the one it was generated from.
  const versionOf = (path) => JSON.parse(readFileSync(join(root, path), 'utf8')).version;
  const apiVersion = versionOf('apps/api/package.json');
  const sdkVersion = versionOf('libs/api-client/package.json');
  const specVersion = JSON.parse(readFileSync(committedSpec, 'utf8')).info?.version;
  if (sdkVersion !== apiVersion) {
    problems.push(
      `libs/api-client/package.json has version ${sdkVersion}, the API (apps/api/package.json) ${apiVersion}: ` +
        'the SDK is released with the API version it was generated from; set both to the same version',
    );
  }
  if (specVersion !== apiVersion) {
    problems.push(`apps/api/openapi.json has info.version ${specVersion}, apps/api/package.json ${apiVersion}`);
    regenerate = true;
  }
  if (problems.length > 0) {
    console.error(problems.map((p) => `✗ ${p}`).join('\n'));
    if (regenerate) console.error('Run "npm run api:generate" and commit the result.');
    process.exitCode = 1;
  } else {
    console.log(`✓ The committed OpenAPI spec and API client match the code; SDK and API are both ${apiVersion}.`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
