import { ErrorCode } from '@atrium/contracts';
import { ApiException } from './api.exception';

/**
 * The errors use cases raise, built one way everywhere (status, stable code, message, details).
 * A missing row is a `notFound`, never an unhandled `*OrFail` that would answer 500.
 */
export const Errors = {
  notFound: (what: string): ApiException => new ApiException(404, ErrorCode.NOT_FOUND, `No such ${what}`),
  forbidden: (message: string): ApiException => new ApiException(403, ErrorCode.FORBIDDEN, message),
  unauthenticated: (message = 'Authentication required'): ApiException =>
    new ApiException(401, ErrorCode.UNAUTHENTICATED, message),
  conflict: (message: string, field?: string, code = 'CONFLICT'): ApiException =>
    new ApiException(409, ErrorCode.CONFLICT, message, field ? [{ field, message, code }] : undefined),
  badRequest: (message: string): ApiException => new ApiException(400, ErrorCode.BAD_REQUEST, message),
  preconditionFailed: (message: string): ApiException => new ApiException(412, ErrorCode.PRECONDITION_FAILED, message),
  /** One field's value is refused (`code` says why, e.g. WEAK_PASSWORD). */
  invalidField: (field: string, message: string, code: string, summary = message): ApiException =>
    new ApiException(400, ErrorCode.VALIDATION_ERROR, summary, [{ field, message, code }]),
};
