import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The committed spec (apps/api/openapi.json): what integrators and the generated client rely on. */
export const COMMITTED_SPEC = JSON.parse(readFileSync(resolve(__dirname, '../../openapi.json'), 'utf8')) as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  info: { title: string; version: string };
};

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(COMMITTED_SPEC, 'openapi.json');

const pointer = (...parts: string[]): string => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Asserts that a real response matches what the committed spec documents for this operation
 * and status: the docs are a contract, not a brochure. Returns the list of violations.
 */
export function contractViolations(method: string, path: string, status: number, body: unknown): string[] {
  const operation = COMMITTED_SPEC.paths[path]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${path} is not in the spec`];
  const response = operation.responses[String(status)];
  if (!response) return [`${method} ${path} answered ${status}, which the spec does not document`];
  const media = response.content?.['application/json'];
  if (!media) return [`${method} ${path} ${status} has no JSON schema in the spec`];
  const ref = `openapi.json#/${pointer('paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`;
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}`);
}

/** The schema of a named component validated against a value (for probes outside operations' JSON bodies). */
export function componentViolations(name: string, value: unknown): string[] {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${name}`);
  if (!validate) return [`component ${name} is not in the spec`];
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(value)'} ${e.message ?? ''}`);
}
