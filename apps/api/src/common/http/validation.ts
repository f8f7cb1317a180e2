import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode } from '@atrium/contracts';
import { ApiException, ErrorDetail } from './api.exception';

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

/** The global pipe: unknown fields are rejected (no mass assignment), payloads become DTO instances. */
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
