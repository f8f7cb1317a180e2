import { type INestApplication, ParseUUIDPipe, type Type } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { sortPattern } from './common/http/list';
import { nestRoutes, routeParameters } from './common/http/nest-routes';

/**
 * The spec's input constraints come from the validators that enforce them (class-validator on the
 * DTOs), not from a second hand-kept copy in `@ApiProperty`: lengths, patterns, formats, integer
 * types, ranges, item counts, enums and which fields are required. Request bodies also say
 * `additionalProperties: false`, because the validation pipe refuses unknown fields; ids validated
 * by `ParseUUIDPipe` are `format: uuid` path parameters. A client generated from the spec (or a
 * fuzzer reading it) then sends exactly what the server accepts.
 */
export function applyValidationConstraints(app: INestApplication, document: OpenAPIObject): void {
  const validated = validationMetadatasToSchemas({
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: {
      // `@IsSort(fields)` (common/http/list.ts) as the pattern it checks.
      isSort: (meta) => ({
        type: 'string',
        maxLength: 200,
        pattern: sortPattern(meta.constraints[0] as string[]).source,
      }),
    },
  }) as Record<string, SchemaObject>;
  const components: Record<string, SchemaObject | ReferenceObject> = document.components?.schemas ?? {};

  const routes = [...routeArguments(app, document)];
  // A body DTO may carry no validators of its own (`class CreateUserDto extends PickType(…)`):
  // its rules are those of the nearest class up its chain that has some.
  const bodyClasses = new Map<string, Type<unknown>>();
  for (const { args } of routes) {
    for (const arg of args) if (arg.kind === 'body' && arg.type) bodyClasses.set(arg.type.name, arg.type);
  }
  const validatorsOf = (name: string): SchemaObject | undefined => {
    for (
      let cls = bodyClasses.get(name);
      cls && cls !== Function.prototype;
      cls = Object.getPrototypeOf(cls) as Type<unknown> | undefined
    ) {
      if (validated[cls.name]) return validated[cls.name];
    }
    return validated[name];
  };

  for (const name of requestBodySchemas(document, components)) {
    const target = components[name];
    const source = validatorsOf(name);
    if (!target || isRef(target)) continue;
    target.additionalProperties = false;
    if (!source) continue;
    for (const [property, schema] of Object.entries(target.properties ?? {})) {
      const constraints = source.properties?.[property];
      if (constraints && !isRef(constraints)) mergeConstraints(schema, constraints);
    }
    const required = (source.required ?? []).filter((property) => target.properties?.[property]);
    if (required.length > 0) target.required = required;
    else delete target.required;
  }

  // A body whose every field is optional may be left out: it means "{}" (the validation pipe sees no field).
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as OperationObject[]) {
      const body = operation?.requestBody;
      const ref = body && !isRef(body) ? body.content['application/json']?.schema : undefined;
      const schema = ref && isRef(ref) ? components[refName(ref.$ref)] : undefined;
      if (body && !isRef(body) && schema && !isRef(schema) && !(schema.required ?? []).length) body.required = false;
    }
  }

  for (const { operation, args } of routes) {
    for (const arg of args) {
      if (arg.kind === 'query' && arg.type && validated[arg.type.name]) {
        const source = validated[arg.type.name];
        for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
          const constraints = parameter.in === 'query' ? source.properties?.[parameter.name] : undefined;
          if (!constraints || isRef(constraints) || !parameter.schema) continue;
          mergeConstraints(parameter.schema, constraints);
          parameter.required = (source.required ?? []).includes(parameter.name);
        }
      }
      if (arg.kind === 'param' && arg.uuid) {
        const parameter = ((operation.parameters ?? []) as ParameterObject[]).find(
          (candidate) => candidate.in === 'path' && candidate.name === arg.name,
        );
        if (parameter?.schema && !isRef(parameter.schema)) parameter.schema.format = 'uuid';
      }
    }
  }
}

const CONSTRAINTS = [
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'uniqueItems',
  'enum',
] as const;

function mergeConstraints(target: SchemaObject | ReferenceObject, source: SchemaObject): void {
  if (isRef(target)) return;
  const writable = target as Record<string, unknown>;
  for (const key of CONSTRAINTS) {
    if (source[key] !== undefined) writable[key] = source[key];
  }
  // class-validator tells integers (IsInt) from numbers; Swagger only sees `number`.
  if (source.type === 'integer' && target.type === 'number') target.type = 'integer';
  if (source.items && !isRef(source.items) && target.items) mergeConstraints(target.items, source.items);
}

const isRef = (schema: object): schema is ReferenceObject => '$ref' in schema;
const refName = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);

/** Names of the component schemas a JSON request body reaches (its own and nested ones). */
function requestBodySchemas(
  document: OpenAPIObject,
  components: Record<string, SchemaObject | ReferenceObject>,
): Set<string> {
  const found = new Set<string>();
  const visit = (schema: SchemaObject | ReferenceObject | undefined): void => {
    if (!schema) return;
    if (isRef(schema)) {
      const name = refName(schema.$ref);
      if (found.has(name)) return;
      found.add(name);
      visit(components[name]);
      return;
    }
    for (const property of Object.values(schema.properties ?? {})) visit(property);
    visit(schema.items);
    for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) visit(part);
  };
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as OperationObject[]) {
      const body = operation?.requestBody;
      if (body && !isRef(body)) visit(body.content['application/json']?.schema);
    }
  }
  return found;
}

interface RouteArgument {
  kind: 'query' | 'param' | 'body';
  name?: string;
  type?: Type<unknown>;
  uuid: boolean;
}

/** For each documented operation, the handler's `@Query()` DTO and `@Param()` arguments. */
function* routeArguments(
  app: INestApplication,
  document: OpenAPIObject,
): Generator<{ operation: OperationObject; args: RouteArgument[] }> {
  const operations = new Map<string, OperationObject>();
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as OperationObject[]) {
      if (operation?.operationId) operations.set(operation.operationId, operation);
    }
  }
  for (const { controller, method } of nestRoutes(app)) {
    const operation = operations.get(`${controller.name}_${method}`);
    if (!operation) continue;
    const args: RouteArgument[] = [];
    for (const { type, data, pipes, metatype } of routeParameters(controller, method)) {
      const uuid = pipes.some((pipe) => pipe instanceof ParseUUIDPipe || pipe === ParseUUIDPipe);
      if (type === RouteParamtypes.QUERY && data === undefined) {
        args.push({ kind: 'query', type: metatype, uuid });
      } else if (type === RouteParamtypes.BODY && data === undefined) {
        args.push({ kind: 'body', type: metatype, uuid });
      } else if (type === RouteParamtypes.PARAM && typeof data === 'string') {
        args.push({ kind: 'param', name: data, uuid });
      }
    }
    yield { operation, args };
  }
}
