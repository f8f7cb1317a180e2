/**
 * Static checks of the deployment files (Dockerfiles, compose, nginx, .dockerignore, CI).
 * No Docker engine is needed: each test reads the files, and fails with a list of problems that
 * names the file and the missing piece, so a broken deployment is caught before anyone builds it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const repoRoot = path.resolve(__dirname, '../../../..');

type YamlMap = Record<string, unknown>;

function exists(relativePath: string): boolean {
  return fs.existsSync(path.join(repoRoot, relativePath));
}

function readRepoFile(relativePath: string): string {
  const absolute = path.join(repoRoot, relativePath);
  if (!fs.existsSync(absolute)) {
    throw new Error(`${relativePath} is missing (looked in ${repoRoot})`);
  }
  return fs.readFileSync(absolute, 'utf8');
}

/** Parses a YAML file of the repository; a syntax error names the file. */
function parseYamlFile(relativePath: string, options: { merge?: boolean } = {}): YamlMap {
  try {
    return asMap(parse(readRepoFile(relativePath), options));
  } catch (error) {
    throw new Error(`${relativePath} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asMap(value: unknown): YamlMap {
  return isMap(value) ? value : {};
}

/** A compose `command`/`test` as one string, whichever form (string or list) it was written in. */
function commandText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(' ');
  return typeof value === 'string' ? value : '';
}

// ---------------------------------------------------------------------------------------------
// Dockerfile parsing: enough of the syntax for the checks below (line continuations, comments,
// exec and shell forms).

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

interface Stage {
  name: string | undefined;
  base: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let buffer = '';
  let startLine = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comments and blank lines are dropped, also between continued lines (as Docker does).
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (buffer === '') startLine = index + 1;
    if (trimmed.endsWith('\\')) {
      buffer += `${trimmed.slice(0, -1)} `;
      return;
    }
    buffer += trimmed;
    const match = /^(\S+)\s*([\s\S]*)$/.exec(buffer);
    if (match) instructions.push({ keyword: match[1].toUpperCase(), args: match[2].trim(), line: startLine });
    buffer = '';
  });
  return instructions;
}

function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [base, as, name] = instruction.args.split(/\s+/);
      stages.push({ base, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

/** Words of an instruction's arguments, from the exec form (JSON array) or the shell form. */
function wordsOf(args: string): string[] {
  if (args.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(args);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not valid JSON: Docker runs it in the shell form, so split it like one.
    }
  }
  return args.split(/\s+/).filter((word) => word !== '');
}

interface CopyInstruction {
  from: string | undefined;
  sources: string[];
  destination: string;
  line: number;
}

function copiesOf(instructions: Instruction[]): CopyInstruction[] {
  return instructions
    .filter((instruction) => instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
    .map((instruction) => {
      const words = wordsOf(instruction.args);
      const flags = words.filter((word) => word.startsWith('--'));
      const paths = words.filter((word) => !word.startsWith('--'));
      const fromFlag = flags.find((flag) => flag.startsWith('--from='));
      return {
        from: fromFlag?.slice('--from='.length),
        sources: paths.slice(0, -1),
        destination: paths[paths.length - 1] ?? '',
        line: instruction.line,
      };
    });
}

const hasWildcard = (source: string): boolean => /[*?[]/.test(source);
const hasVariable = (source: string): boolean => source.includes('$');

/** Problems with the local (build context) sources of every COPY/ADD of a Dockerfile. */
function copySourceProblems(
  dockerfile: string,
  instructions: Instruction[],
  ignored: (p: string) => boolean,
): string[] {
  const problems: string[] = [];
  for (const copy of copiesOf(instructions)) {
    if (copy.from !== undefined) continue; // copies from another stage or image
    for (const source of copy.sources) {
      // A wildcard may match nothing on purpose (optional files); a variable is resolved at build time.
      if (hasWildcard(source) || hasVariable(source) || /^https?:\/\//.test(source)) continue;
      const normalized = source.replace(/^\.\//, '').replace(/\/+$/, '');
      if (normalized === '' || normalized === '.') continue;
      if (!exists(normalized)) {
        problems.push(`${dockerfile}:${copy.line}: COPY source "${source}" does not exist in the repository`);
      } else if (ignored(normalized)) {
        problems.push(`${dockerfile}:${copy.line}: COPY source "${source}" is excluded by .dockerignore`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// .dockerignore matching, following Docker's rules: patterns are matched in order against the
// path and each of its parent directories, the last matching pattern wins, `!` re-includes.

function dockerignoreMatcher(text: string): (relativePath: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line)
        .trim()
        .replace(/^\.?\//, '')
        .replace(/\/+$/, '');
      return { negate, regex: globToRegExp(pattern) };
    });
  return (relativePath) => {
    const parts = relativePath.split('/');
    const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
    let ignored = false;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.regex.test(candidate))) ignored = !rule.negate;
    }
    return ignored;
  };
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '*' && pattern[index + 1] === '*') {
      const followedBySlash = pattern[index + 2] === '/';
      source += followedBySlash ? '(?:.*/)?' : '.*';
      index += followedBySlash ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const end = pattern.indexOf(']', index);
      source += end === -1 ? '\\[' : pattern.slice(index, end + 1);
      index = end === -1 ? index : end;
    } else {
      source += char.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

// ---------------------------------------------------------------------------------------------

const COMPOSE = 'docker-compose.yml';
const API_DOCKERFILE = 'Dockerfile.api';
const WEB_DOCKERFILE = 'Dockerfile.web';
const NGINX_CONF = 'deploy/nginx/default.conf';
const DOCKERIGNORE = '.dockerignore';
const CI_WORKFLOW = '.github/workflows/ci.yml';

const loadCompose = (): YamlMap => parseYamlFile(COMPOSE, { merge: true });
const servicesOf = (compose: YamlMap): Record<string, YamlMap> =>
  Object.fromEntries(Object.entries(asMap(compose.services)).map(([name, value]) => [name, asMap(value)]));
const loadIgnore = (): ((p: string) => boolean) => dockerignoreMatcher(readRepoFile(DOCKERIGNORE));

function dependsOn(service: YamlMap): Record<string, string | undefined> {
  const raw = service.depends_on;
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [String(name), 'service_started']));
  return Object.fromEntries(
    Object.entries(asMap(raw)).map(([name, spec]) => {
      const condition = asMap(spec).condition;
      return [name, typeof condition === 'string' ? condition : undefined];
    }),
  );
}

function hasHealthcheck(service: YamlMap): boolean {
  const healthcheck = asMap(service.healthcheck);
  return healthcheck.disable !== true && commandText(healthcheck.test).trim() !== '';
}

const API_CSP_SOURCE = 'apps/api/src/bootstrap.ts';

/** The CSP the API really sends, rebuilt from its helmet directives (`CONTENT_SECURITY_POLICY`). */
function apiCspFromSource(): string | undefined {
  const block = /CONTENT_SECURITY_POLICY\s*=\s*\{([\s\S]*?)\n\};/.exec(readRepoFile(API_CSP_SOURCE))?.[1];
  if (block === undefined) return undefined;
  return [...block.matchAll(/^\s*(\w+):\s*\[([^\]]*)\]/gm)]
    .map(([, key, list]) => {
      const directive = key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
      const values = [...list.matchAll(/"([^"]*)"|'([^']*)'/g)].map((value) => value[1] ?? value[2]);
      return `${directive} ${values.join(' ')}`;
    })
    .join('; ');
}

describe('docker-compose.yml', () => {
  it('defines the six services, with health checks where something waits on them', () => {
    const services = servicesOf(loadCompose());
    const problems: string[] = [];
    for (const name of ['postgres', 'redis', 'migrate', 'api', 'worker', 'web']) {
      if (!(name in services)) problems.push(`${COMPOSE}: service "${name}" is missing`);
    }
    for (const name of ['postgres', 'redis', 'api', 'web']) {
      if (name in services && !hasHealthcheck(services[name])) {
        problems.push(`${COMPOSE}: service "${name}" has no healthcheck`);
      }
    }
    const postgresTest = commandText(asMap(services.postgres?.healthcheck).test);
    if (!postgresTest.includes('pg_isready')) problems.push(`${COMPOSE}: postgres healthcheck does not run pg_isready`);
    const redisTest = commandText(asMap(services.redis?.healthcheck).test);
    if (!redisTest.includes('ping')) problems.push(`${COMPOSE}: redis healthcheck does not run redis-cli ping`);
    expect(problems).toEqual([]);
  });

  it("checks the worker's health where the worker listens: the image's /health check on PORT hits WORKER_PORT", () => {
    const worker = servicesOf(loadCompose()).worker ?? {};
    const env = asMap(worker.environment);
    const problems: string[] = [];
    if (asMap(worker.healthcheck).disable === true) problems.push(`${COMPOSE}: the worker's health check is disabled`);
    const healthcheck = /HEALTHCHECK[\s\S]*?process\.env\.PORT \|\| (\d+)/.exec(readRepoFile('Dockerfile.api'));
    const scalar = (value: unknown): string | undefined =>
      typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
    const checkedPort = scalar(env.PORT) ?? healthcheck?.[1];
    if (scalar(env.WORKER_PORT) !== checkedPort) {
      problems.push(
        `${COMPOSE}: worker listens on WORKER_PORT=${scalar(env.WORKER_PORT)}, its health check calls ${checkedPort}`,
      );
    }
    expect(problems).toEqual([]);
  });

  it('runs migrations once before the API and the worker start', () => {
    const services = servicesOf(loadCompose());
    const problems: string[] = [];
    const migrate = services.migrate ?? {};
    const migrateCommand = commandText(migrate.command);
    if (!/apps\/api\/dist\/database\/cli\.js\s+migrate\b/.test(migrateCommand)) {
      problems.push(
        `${COMPOSE}: migrate command is "${migrateCommand}", not "node apps/api/dist/database/cli.js migrate"`,
      );
    }
    if (migrate.restart !== 'no') problems.push(`${COMPOSE}: migrate must have restart: "no" (it is a one-shot)`);
    if (dependsOn(migrate).postgres !== 'service_healthy') {
      problems.push(`${COMPOSE}: migrate does not wait for postgres to be healthy`);
    }
    for (const name of ['api', 'worker']) {
      const dependencies = dependsOn(services[name] ?? {});
      if (dependencies.migrate !== 'service_completed_successfully') {
        problems.push(`${COMPOSE}: ${name} does not depend on migrate with condition service_completed_successfully`);
      }
      if (dependencies.redis !== 'service_healthy') {
        problems.push(`${COMPOSE}: ${name} does not wait for redis to be healthy`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs two stateless API replicas behind nginx, and the worker from the same image', () => {
    const services = servicesOf(loadCompose());
    const problems: string[] = [];
    const api = services.api ?? {};
    const replicas = asMap(api.deploy).replicas;
    if (replicas !== 2) problems.push(`${COMPOSE}: api deploy.replicas is ${String(replicas)}, expected 2`);
    if (api.ports !== undefined) {
      problems.push(`${COMPOSE}: api publishes host ports; replicas cannot share one, nginx reaches them as api:3000`);
    }
    const apiCommand = commandText(api.command);
    if (apiCommand !== '' && !apiCommand.includes('apps/api/dist/main.js')) {
      problems.push(`${COMPOSE}: api command "${apiCommand}" does not run apps/api/dist/main.js`);
    }
    const environment = asMap(api.environment);
    if (String(environment.SERVE_SPA) !== 'false') problems.push(`${COMPOSE}: api must set SERVE_SPA=false`);
    if (environment.NODE_ENV !== 'production') problems.push(`${COMPOSE}: api must set NODE_ENV=production`);
    const secret = environment.JWT_ACCESS_SECRET;
    if (typeof secret === 'string' && !secret.startsWith('${')) {
      problems.push(`${COMPOSE}: JWT_ACCESS_SECRET is written into the file; it must come from the environment`);
    }

    const workerCommand = commandText(services.worker?.command);
    if (!workerCommand.includes('apps/api/dist/worker.js')) {
      problems.push(`${COMPOSE}: worker command "${workerCommand}" does not run apps/api/dist/worker.js`);
    }

    const apiImageServices = ['migrate', 'api', 'worker'];
    const images = new Set(apiImageServices.map((name) => services[name]?.image));
    if (images.size !== 1 || images.has(undefined)) {
      problems.push(`${COMPOSE}: migrate, api and worker must name the same image (found ${[...images].join(', ')})`);
    }
    const builders = apiImageServices.filter((name) => services[name]?.build !== undefined);
    if (builders.length !== 1) {
      problems.push(
        `${COMPOSE}: exactly one of migrate/api/worker should build the API image (found: ${builders.join(', ') || 'none'})`,
      );
    }

    const web = services.web ?? {};
    if (dependsOn(web).api !== 'service_healthy') problems.push(`${COMPOSE}: web does not wait for api to be healthy`);
    if (!Array.isArray(web.ports) || web.ports.length === 0) problems.push(`${COMPOSE}: web publishes no port`);
    expect(problems).toEqual([]);
  });

  it('keeps the data stores on loopback and their data in declared named volumes', () => {
    const compose = loadCompose();
    const services = servicesOf(compose);
    const problems: string[] = [];
    for (const name of ['postgres', 'redis']) {
      const ports = Array.isArray(services[name]?.ports) ? (services[name].ports as unknown[]) : [];
      if (ports.length === 0) problems.push(`${COMPOSE}: ${name} publishes no port (developers run tests against it)`);
      for (const port of ports) {
        if (!String(port).startsWith('127.0.0.1:')) {
          problems.push(`${COMPOSE}: ${name} port "${String(port)}" is not bound to 127.0.0.1`);
        }
      }
    }
    const declaredVolumes = new Set(Object.keys(asMap(compose.volumes)));
    for (const [name, service] of Object.entries(services)) {
      const volumes = Array.isArray(service.volumes) ? service.volumes : [];
      for (const volume of volumes) {
        const source = isMap(volume) ? String(volume.source) : String(volume).split(':')[0];
        const isNamed = !source.startsWith('.') && !source.startsWith('/') && !source.startsWith('~');
        if (isNamed && !declaredVolumes.has(source)) {
          problems.push(`${COMPOSE}: service "${name}" uses volume "${source}", not declared under volumes:`);
        }
      }
    }
    for (const name of ['postgres', 'redis']) {
      if (!Array.isArray(services[name]?.volumes) || (services[name].volumes as unknown[]).length === 0) {
        problems.push(`${COMPOSE}: ${name} keeps its data in no volume`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('builds from Dockerfiles and contexts that exist', () => {
    const services = servicesOf(loadCompose());
    const problems: string[] = [];
    const builds = Object.entries(services).filter(([, service]) => service.build !== undefined);
    if (builds.length === 0) problems.push(`${COMPOSE}: no service builds an image`);
    for (const [name, service] of builds) {
      const build = typeof service.build === 'string' ? { context: service.build } : asMap(service.build);
      const context = typeof build.context === 'string' ? build.context : '.';
      const dockerfile = typeof build.dockerfile === 'string' ? build.dockerfile : 'Dockerfile';
      if (!exists(context)) problems.push(`${COMPOSE}: service "${name}" build context "${context}" does not exist`);
      if (!exists(path.join(context, dockerfile))) {
        problems.push(`${COMPOSE}: service "${name}" dockerfile "${path.join(context, dockerfile)}" does not exist`);
      }
    }
    const dockerfiles = builds.map(([, service]) => String(asMap(service.build).dockerfile));
    for (const expected of [API_DOCKERFILE, WEB_DOCKERFILE]) {
      if (!dockerfiles.includes(expected)) problems.push(`${COMPOSE}: no service builds ${expected}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('Dockerfile.api', () => {
  const instructions = (): Instruction[] => parseDockerfile(readRepoFile(API_DOCKERFILE));

  it('is a multi-stage build whose runtime stage is non-root, production, healthy and on port 3000', () => {
    const stages = stagesOf(instructions());
    const problems: string[] = [];
    if (stages.length < 2) {
      problems.push(`${API_DOCKERFILE}: ${stages.length} FROM, expected a multi-stage build (>= 2)`);
    }
    const runtime = stages[stages.length - 1]?.instructions ?? [];
    const users = runtime.filter((instruction) => instruction.keyword === 'USER');
    const lastUser = users[users.length - 1]?.args.split(':')[0];
    if (lastUser === undefined) {
      problems.push(`${API_DOCKERFILE}: the runtime stage has no USER (it would run as root)`);
    } else if (lastUser === 'root' || lastUser === '0') {
      problems.push(`${API_DOCKERFILE}: the runtime stage runs as root`);
    }
    const healthcheck = runtime.find((instruction) => instruction.keyword === 'HEALTHCHECK');
    if (!healthcheck) problems.push(`${API_DOCKERFILE}: no HEALTHCHECK in the runtime stage`);
    else if (!healthcheck.args.includes('/health')) {
      problems.push(`${API_DOCKERFILE}: HEALTHCHECK does not call /health`);
    }
    const exposed = runtime.filter((instruction) => instruction.keyword === 'EXPOSE').flatMap((i) => wordsOf(i.args));
    if (!exposed.some((port) => port.split('/')[0] === '3000')) problems.push(`${API_DOCKERFILE}: no EXPOSE 3000`);
    const env = runtime.filter((instruction) => instruction.keyword === 'ENV').map((i) => i.args);
    if (!env.some((args) => /\bNODE_ENV=production\b/.test(args))) {
      problems.push(`${API_DOCKERFILE}: the runtime stage does not set NODE_ENV=production`);
    }
    const cmd = runtime.find((instruction) => instruction.keyword === 'CMD');
    if (!cmd?.args.includes('apps/api/dist/main.js')) {
      problems.push(`${API_DOCKERFILE}: the default CMD does not start apps/api/dist/main.js`);
    }
    expect(problems).toEqual([]);
  });

  /**
   * glibc raises its mmap threshold to the largest mmapped block freed (mallopt(3)): after one
   * Argon2 hash (19 MiB) every smaller block came from malloc's heaps, and freed ones stayed
   * resident between live ones. The image fixes the threshold (decision 112); this runs Node under
   * the image's setting and without it, on the same allocation pattern.
   */
  it('runs the API with a fixed malloc mmap threshold, so memory freed after an Argon2 hash leaves the resident set', () => {
    const runtime = stagesOf(instructions()).at(-1)?.instructions ?? [];
    const env = runtime
      .filter((instruction) => instruction.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    const threshold = /\bMALLOC_MMAP_THRESHOLD_=(\d+)\b/.exec(env)?.[1];
    expect(threshold).toBeDefined();
    expect(Number(threshold)).toBeLessThanOrEqual(2 * 1024 * 1024);

    // MiB still resident after: a 19 MiB block freed, then 15 blocks of 2 MiB freed between 64 KiB ones kept.
    const script = `
      const rss = () => Number(require('fs').readFileSync('/proc/self/status', 'utf8').match(/VmRSS:\\s+(\\d+)/)[1]) / 1024;
      const collect = () => { gc(); gc(); };
      let argon2 = Buffer.alloc(19 * 1024 * 1024, 1); argon2 = null; collect();
      const before = rss();
      const kept = []; let freed = [];
      for (let i = 0; i < 15; i++) { freed.push(Buffer.alloc(2 * 1024 * 1024, 1)); kept.push(Buffer.alloc(64 * 1024, 1)); }
      freed = null; collect();
      process.stdout.write(String(rss() - before - kept.length / 16));`;
    const retained = (extra: Record<string, string>): number => {
      const { MALLOC_MMAP_THRESHOLD_: _unset, ...inherited } = process.env;
      const run = spawnSync(process.execPath, ['--expose-gc', '-e', script], {
        env: { ...inherited, ...extra },
        encoding: 'utf8',
      });
      return Number(run.stdout);
    };
    // Without it, the 30 MiB freed stays resident; with the image's setting none of it does.
    expect(retained({})).toBeGreaterThan(20);
    expect(retained({ MALLOC_MMAP_THRESHOLD_: String(threshold) })).toBeLessThan(5);
  });

  it('copies only paths that exist in the repository and are not excluded by .dockerignore', () => {
    expect(copySourceProblems(API_DOCKERFILE, instructions(), loadIgnore())).toEqual([]);
  });

  it('puts the production node_modules and the built API into the runtime stage', () => {
    const stages = stagesOf(instructions());
    const runtime = stages[stages.length - 1]?.instructions ?? [];
    const copied = copiesOf(runtime)
      .filter((copy) => copy.from !== undefined)
      .flatMap((copy) => copy.sources.map((source) => `${copy.from}:${source}`))
      .join(' ');
    const problems: string[] = [];
    for (const needed of ['apps/api/dist', 'libs/contracts/dist']) {
      if (!copied.includes(needed)) problems.push(`${API_DOCKERFILE}: the runtime stage does not copy ${needed}`);
    }
    const installs = stages
      .flatMap((stage) => stage.instructions)
      .filter((i) => i.keyword === 'RUN' && /npm ci\b/.test(i.args));
    if (!installs.some((i) => /--omit=dev\b/.test(i.args))) {
      problems.push(`${API_DOCKERFILE}: no "npm ci --omit=dev" stage for production dependencies`);
    }
    expect(problems).toEqual([]);
  });
});

describe('Dockerfile.web', () => {
  const instructions = (): Instruction[] => parseDockerfile(readRepoFile(WEB_DOCKERFILE));

  it('builds the SPA in a node stage and serves it with nginx and the project config', () => {
    const stages = stagesOf(instructions());
    const problems: string[] = [];
    if (stages.length < 2) {
      problems.push(`${WEB_DOCKERFILE}: ${stages.length} FROM, expected a multi-stage build (>= 2)`);
    }
    const runtime = stages[stages.length - 1];
    if (!(runtime?.base ?? '').includes('nginx')) {
      problems.push(`${WEB_DOCKERFILE}: the runtime stage is not an nginx image (FROM ${runtime?.base ?? '?'})`);
    }
    const copies = copiesOf(runtime?.instructions ?? []);
    if (!copies.some((copy) => copy.from === undefined && copy.sources.includes(NGINX_CONF))) {
      problems.push(`${WEB_DOCKERFILE}: the runtime stage does not COPY ${NGINX_CONF}`);
    }
    if (!copies.some((copy) => copy.from !== undefined && copy.sources.some((s) => s.includes('apps/web/dist')))) {
      problems.push(`${WEB_DOCKERFILE}: the runtime stage does not copy apps/web/dist from the build stage`);
    }
    if (!(runtime?.instructions ?? []).some((i) => i.keyword === 'HEALTHCHECK')) {
      problems.push(`${WEB_DOCKERFILE}: no HEALTHCHECK in the runtime stage`);
    }
    expect(problems).toEqual([]);
  });

  it('copies only paths that exist in the repository and are not excluded by .dockerignore', () => {
    expect(copySourceProblems(WEB_DOCKERFILE, instructions(), loadIgnore())).toEqual([]);
  });
});

describe('deploy/nginx/default.conf', () => {
  // The policy agreed for the API (helmet) and the SPA.
  const API_CSP =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; " +
    "form-action 'self'";

  /** `location` blocks without nested blocks: path (with its modifier) -> body. */
  function leafLocations(conf: string): Map<string, string> {
    const locations = new Map<string, string>();
    for (const match of conf.matchAll(/location\s+(?:(=|\^~|~\*?)\s+)?(\S+)\s*\{([^{}]*)\}/g)) {
      locations.set(`${match[1] ?? ''}${match[2]}`, match[3]);
    }
    return locations;
  }

  const conf = (): string =>
    readRepoFile(NGINX_CONF)
      .split('\n')
      .map((line) => line.replace(/(^|\s)#.*$/, ''))
      .join('\n');

  it('serves the SPA with an index.html fallback', () => {
    const problems: string[] = [];
    if (!/try_files\s+\$uri\s+(?:\$uri\/\s+)?\/index\.html\s*;/.test(conf())) {
      problems.push(`${NGINX_CONF}: no "try_files $uri /index.html" fallback for client-side routes`);
    }
    expect(problems).toEqual([]);
  });

  it('proxies /api/, /docs, /health and /readiness to the API, and not /metrics', () => {
    const locations = leafLocations(conf());
    const problems: string[] = [];
    for (const wanted of ['/api/', '/docs', '/health', '/readiness']) {
      const match = [...locations.entries()].find(([location]) => location.replace(/^=/, '') === wanted);
      if (!match) {
        problems.push(`${NGINX_CONF}: no location for ${wanted}`);
      } else if (!/proxy_pass\s+http:\/\//.test(match[1])) {
        problems.push(`${NGINX_CONF}: location ${wanted} does not proxy_pass`);
      }
    }
    for (const [location, body] of locations) {
      if (location.includes('metrics') && body.includes('proxy_pass')) {
        problems.push(`${NGINX_CONF}: ${location} proxies /metrics to the public; it is for operators only`);
      }
    }
    if (!/upstream\s+\S+\s*\{[^}]*server\s+api:3000/.test(conf())) {
      problems.push(`${NGINX_CONF}: no upstream with server api:3000 (the compose service)`);
    }
    expect(problems).toEqual([]);
  });

  it('passes the request id and client address, and bounds the body size', () => {
    const text = conf();
    const problems: string[] = [];
    if (!/proxy_set_header\s+X-Request-ID\s/.test(text)) {
      problems.push(`${NGINX_CONF}: no proxy_set_header X-Request-ID`);
    }
    if (!/proxy_set_header\s+X-Forwarded-For\s/.test(text)) problems.push(`${NGINX_CONF}: no X-Forwarded-For`);
    if (!/proxy_set_header\s+X-Forwarded-Proto\s/.test(text)) problems.push(`${NGINX_CONF}: no X-Forwarded-Proto`);
    if (!/client_max_body_size\s+\d+[km]\s*;/.test(text)) problems.push(`${NGINX_CONF}: no client_max_body_size`);
    expect(problems).toEqual([]);
  });

  it('sends the security headers with the SPA, the CSP identical to the API one', () => {
    const text = conf();
    const problems: string[] = [];
    if (!text.includes(API_CSP)) problems.push(`${NGINX_CONF}: Content-Security-Policy differs from the agreed one`);
    if (!text.includes("frame-ancestors 'none'")) problems.push(`${NGINX_CONF}: no frame-ancestors 'none'`);
    for (const header of [
      'X-Content-Type-Options',
      'X-Frame-Options',
      'Referrer-Policy',
      'Strict-Transport-Security',
    ]) {
      if (!new RegExp(`add_header\\s+${header}\\s`).test(text)) problems.push(`${NGINX_CONF}: no add_header ${header}`);
    }
    if (!/server_tokens\s+off\s*;/.test(text)) problems.push(`${NGINX_CONF}: server_tokens is not off`);
    if (!/gzip\s+on\s*;/.test(text)) problems.push(`${NGINX_CONF}: gzip is not on`);
    expect(problems).toEqual([]);
  });
});

describe('.dockerignore', () => {
  it('keeps host installs, build output, local data, secrets and git out of the build context', () => {
    const ignored = loadIgnore();
    const mustIgnore = [
      'node_modules',
      'apps/api/node_modules',
      'apps/api/dist',
      'libs/contracts/dist',
      '.data',
      'apps/api/.data',
      '.env',
      '.git',
      'coverage',
      'npm-debug.log',
    ];
    const problems = mustIgnore.filter((p) => !ignored(p)).map((p) => `${DOCKERIGNORE}: "${p}" is not excluded`);
    const mustKeep = ['package.json', 'package-lock.json', 'apps/api/src/main.ts', NGINX_CONF];
    problems.push(...mustKeep.filter((p) => ignored(p)).map((p) => `${DOCKERIGNORE}: "${p}" is excluded but needed`));
    expect(problems).toEqual([]);
  });
});

describe('.github/workflows/ci.yml', () => {
  const workflow = (): YamlMap => parseYamlFile(CI_WORKFLOW);

  function runsOf(job: YamlMap): string[] {
    const steps = Array.isArray(job.steps) ? job.steps : [];
    return steps.map((step) => asMap(step).run).filter((run): run is string => typeof run === 'string');
  }

  it('runs on pushes and pull requests', () => {
    const on = workflow().on;
    const triggers = isMap(on) ? Object.keys(on) : Array.isArray(on) ? on.map(String) : [String(on)];
    const missing = ['push', 'pull_request'].filter((trigger) => !triggers.includes(trigger));
    expect(missing.map((trigger) => `${CI_WORKFLOW}: does not run on ${trigger}`)).toEqual([]);
  });

  it('tests against Postgres and Redis services and runs every check', () => {
    const jobs = asMap(workflow().jobs);
    const problems: string[] = [];
    const withServices = Object.entries(jobs).find(([, job]) => {
      const services = Object.values(asMap(asMap(job).services)).map((service) => String(asMap(service).image));
      return services.some((image) => image.startsWith('postgres')) && services.some((i) => i.startsWith('redis'));
    });
    if (!withServices) {
      problems.push(`${CI_WORKFLOW}: no job with both a postgres and a redis service`);
      expect(problems).toEqual([]);
      return;
    }
    const [jobName, jobValue] = withServices;
    const job = asMap(jobValue);
    const runs = runsOf(job).join('\n');
    for (const command of [
      'npm ci',
      'npm run format:check',
      'npm run lint',
      'npm run typecheck',
      'npm run build',
      'npm run db:check',
      'npm run api:check',
      'npm test',
      'npm run test:browser',
    ]) {
      if (!new RegExp(`(^|\\s|&&)${command.replace(/[.:]/g, '\\$&')}(\\s|$)`, 'm').test(runs)) {
        problems.push(`${CI_WORKFLOW}: job "${jobName}" does not run "${command}"`);
      }
    }
    const order = ['npm ci', 'npm run build', 'npm run db:check', 'npm test'].map((command) => runs.indexOf(command));
    if (order.every((index) => index >= 0) && order.some((index, i) => i > 0 && index < order[i - 1])) {
      problems.push(`${CI_WORKFLOW}: job "${jobName}" must run npm ci, build, db:check and npm test in that order`);
    }
    const env = asMap(job.env);
    for (const name of ['TEST_DATABASE_URL', 'TEST_REDIS_URL']) {
      if (typeof env[name] !== 'string') problems.push(`${CI_WORKFLOW}: job "${jobName}" does not set ${name}`);
    }
    expect(problems).toEqual([]);
  });
});

// These depend on code the application workspaces are still writing: they fail until it exists.
describe('what the deployment needs from the application workspaces', () => {
  it('has a TypeScript source for every compiled entrypoint the images run', () => {
    const services = servicesOf(loadCompose());
    const commands = [
      ...['migrate', 'api', 'worker'].map((name) => commandText(services[name]?.command)),
      ...parseDockerfile(readRepoFile(API_DOCKERFILE))
        .filter((instruction) => instruction.keyword === 'CMD')
        .map((instruction) => wordsOf(instruction.args).join(' ')),
    ];
    const entrypoints = new Set(commands.flatMap((command) => command.match(/apps\/api\/dist\/[\w/.-]+\.js/g) ?? []));
    const problems: string[] = [];
    for (const expected of ['apps/api/dist/main.js', 'apps/api/dist/worker.js', 'apps/api/dist/database/cli.js']) {
      if (!entrypoints.has(expected)) problems.push(`${COMPOSE}/${API_DOCKERFILE}: nothing runs ${expected}`);
    }
    for (const entrypoint of entrypoints) {
      const source = entrypoint.replace('apps/api/dist/', 'apps/api/src/').replace(/\.js$/, '.ts');
      if (!exists(source)) problems.push(`${entrypoint} (run by the API image) has no source: ${source} is missing`);
    }
    expect(problems).toEqual([]);
  });

  it('serves the SPA (nginx) under the same Content-Security-Policy as the API', () => {
    const apiCsp = apiCspFromSource();
    const problems: string[] = [];
    if (apiCsp === undefined) {
      problems.push(`${API_CSP_SOURCE}: no CONTENT_SECURITY_POLICY directives found to compare with ${NGINX_CONF}`);
    } else if (!readRepoFile(NGINX_CONF).includes(`"${apiCsp}"`)) {
      problems.push(`${NGINX_CONF}: Content-Security-Policy is not the API's "${apiCsp}"`);
    }
    expect(problems).toEqual([]);
  });

  it('defines every npm script that the Dockerfiles and CI run', () => {
    const scriptsOf = (manifest: string): Record<string, unknown> =>
      asMap(asMap(JSON.parse(readRepoFile(manifest)) as unknown).scripts);
    const workspaces: Record<string, string> = {
      '@atrium/contracts': 'libs/contracts/package.json',
      '@atrium/api-client': 'libs/api-client/package.json',
      '@atrium/api': 'apps/api/package.json',
      '@atrium/web': 'apps/web/package.json',
    };
    const commandLines = [
      ...runsOfAllJobs(),
      ...[API_DOCKERFILE, WEB_DOCKERFILE].flatMap((file) =>
        parseDockerfile(readRepoFile(file))
          .filter((instruction) => instruction.keyword === 'RUN')
          .map((instruction) => instruction.args),
      ),
    ];
    const problems = new Set<string>();
    for (const line of commandLines) {
      for (const match of line.matchAll(/npm run ([\w:.-]+)(?:\s+-w\s+(\S+))?/g)) {
        const [, script, workspace] = match;
        const manifest = workspace === undefined ? 'package.json' : workspaces[workspace];
        if (manifest === undefined) {
          problems.add(`"npm run ${script} -w ${workspace}": unknown workspace`);
        } else if (!(script in scriptsOf(manifest))) {
          problems.add(`${manifest}: no script "${script}" (run by the deployment)`);
        }
      }
    }
    expect([...problems]).toEqual([]);

    function runsOfAllJobs(): string[] {
      const jobs = asMap(parseYamlFile(CI_WORKFLOW).jobs);
      return Object.values(jobs).flatMap((job) => {
        const steps = Array.isArray(asMap(job).steps) ? (asMap(job).steps as unknown[]) : [];
        return steps.map((step) => asMap(step).run).filter((run): run is string => typeof run === 'string');
      });
    }
  });
});
