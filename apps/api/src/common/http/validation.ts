// eslint-disable-next-line no-restricted-imports -- the one place that binds the pipe to Nest's Body/Query
import { Body as NestBody, Query as NestQuery, ValidationError, ValidationPipe } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ErrorCode } from '@atrium/contracts';
import { ApiException, ErrorDetail } from './api.exception';
import { type NestRoute, routeParameters } from './nest-routes';

/** `isNotEmpty` → `IS_NOT_EMPTY`; an unknown property (`whitelistValidation`) → `UNKNOWN_FIELD`. */
function detailCode(constraint: string): string {
  if (constraint === 'whitelistValidation') return 'UNKNOWN_FIELD';
  return constraint.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Flattens class-validator's tree into one detail per failed constraint, with dotted field paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      message,
      code: detailCode(constraint),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The validation pipe: unknown fields are rejected (no mass assignment), payloads become DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new ApiException(400, ErrorCode.VALIDATION_ERROR, 'Request validation failed', flattenValidationErrors(errors)),
  });
}

/**
 * One validation pipe serves every parameter that takes input (it keeps nothing between calls).
 * It is bound where input arrives, not globally: Nest runs a global pipe on every decorated
 * parameter — the caller, a path segment — as a chain of promises that returns them unchanged,
 * on every request (docs/DECISIONS.md 129).
 */
const validation = createValidationPipe();

/** `@Body()`, validated: the payload becomes its DTO, checked, unknown fields refused. */
export function Body(): ParameterDecorator {
  return NestBody(validation);
}

/** `@Query()` (the whole query as its DTO) or `@Query('name')`, validated. */
export function Query(property?: string): ParameterDecorator {
  return property === undefined ? NestQuery(validation) : NestQuery(property, validation);
}

/** Kinds of parameter whose value is a client's input, by Nest's parameter type. */
const INPUT: Partial<Record<RouteParamtypes, string>> = {
  [RouteParamtypes.BODY]: '@Body()',
  [RouteParamtypes.RAW_BODY]: '@RawBody()',
  [RouteParamtypes.QUERY]: '@Query()',
  [RouteParamtypes.PARAM]: '@Param()',
  [RouteParamtypes.FILE]: '@UploadedFile()',
  [RouteParamtypes.FILES]: '@UploadedFiles()',
  [RouteParamtypes.COOKIES]: '@Cookies()',
  [RouteParamtypes.SIGNED_COOKIES]: '@SignedCookies()',
};

/**
 * The parameters of these routes that take a client's input and that no validation pipe checks,
 * described for the error that stops the start. Input is every body, query, cookie and file, and a
 * path parameter unless it is one named segment read as a string (Nest gives it as the string it
 * is; the handler or a pipe such as `ParseUUIDPipe` checks its form). The caller (`@CurrentUser()`
 * and other custom decorators), the request and headers are not input in this sense.
 */
export function unvalidatedInputs(routes: Iterable<Pick<NestRoute, 'controller' | 'method'>>): string[] {
  const found: string[] = [];
  for (const { controller, method } of routes) {
    for (const { type, index, data, pipes, metatype } of routeParameters(controller, method)) {
      const kind = type === 'custom' ? undefined : INPUT[type];
      if (kind === undefined) continue;
      if (type === RouteParamtypes.PARAM && typeof data === 'string' && metatype === String) continue;
      if (pipes.some((pipe) => pipe instanceof ValidationPipe)) continue;
      found.push(`${controller.name}.${method}: parameter ${index} (${kind})`);
    }
  }
  return found;
}

/** Stops the start when a route takes input that no validation pipe checks. */
export function assertInputsValidated(routes: Iterable<Pick<NestRoute, 'controller' | 'method'>>): void {
  const found = unvalidatedInputs(routes);
  if (found.length > 0) {
    throw new Error(
      `Input that no validation pipe checks: ${found.join('; ')}. Take bodies and queries with \`Body\`/\`Query\` ` +
        'from common/http/validation, and a path parameter as a string or through a validating pipe.',
    );
  }
}
