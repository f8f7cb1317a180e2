#!/usr/bin/env node
// `npm start` builds through this: each workspace is rebuilt only when one of its inputs (or a
// workspace it depends on) changed since its last build, so a restart with nothing changed takes
// a second instead of a minute. `npm run build` still builds everything unconditionally.
//
// A build's fingerprint is a hash of the path, size and modification time of every input file;
// it is written next to the output (`<out>/.build-fingerprint`) after a successful build.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** In build order; `after` names the workspaces whose output this one reads. */
const WORKSPACES = [
  {
    name: '@atrium/contracts',
    dir: 'libs/contracts',
    inputs: ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'],
    out: 'dist',
    after: [],
  },
  {
    name: '@atrium/api',
    dir: 'apps/api',
    inputs: ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'],
    out: 'dist',
    after: ['@atrium/contracts'],
  },
  {
    name: '@atrium/web',
    dir: 'apps/web',
    inputs: ['src', 'public', 'index.html', 'package.json', 'tsconfig.json', 'tsconfig.app.json', 'vite.config.ts'],
    extraInputs: ['libs/api-client/src', 'libs/api-client/package.json'],
    out: 'dist',
    after: ['@atrium/contracts'],
  },
];

function files(path) {
  if (!existsSync(path)) return [];
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && !entry.name.startsWith('.'))
    .flatMap((entry) => files(join(path, entry.name)));
}

function fingerprint(workspace, upstream) {
  const hash = createHash('sha256');
  const paths = [
    ...workspace.inputs.map((input) => join(root, workspace.dir, input)),
    ...(workspace.extraInputs ?? []).map((input) => join(root, input)),
    join(root, 'package-lock.json'),
  ];
  for (const file of paths.flatMap(files).sort()) {
    const stat = statSync(file);
    hash.update(`${relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  for (const dependency of upstream) hash.update(`after ${dependency}\n`);
  return hash.digest('hex');
}

const built = new Map();
for (const workspace of WORKSPACES) {
  const stampPath = join(root, workspace.dir, workspace.out, '.build-fingerprint');
  const print = fingerprint(
    workspace,
    workspace.after.map((name) => built.get(name)),
  );
  const previous = existsSync(stampPath) ? readFileSync(stampPath, 'utf8').trim() : undefined;
  if (previous === print) {
    console.log(`${workspace.name}: up to date`);
  } else {
    console.log(`${workspace.name}: ${previous ? 'changed' : 'not built yet'}, building`);
    const result = spawnSync('npm', ['run', 'build', '-w', workspace.name], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
    writeFileSync(stampPath, `${print}\n`);
  }
  built.set(workspace.name, print);
}
