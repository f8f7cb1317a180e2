import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_CODES, ErrorCode } from '@atrium/contracts';

export class ResponseMetaDto {
  @ApiProperty({
    description: 'Id of this request; also in the X-Request-ID header and every log line',
    example: '0190f2a4-5b6c-7d8e-9f00-112233445566',
  })
  requestId: string;

  @ApiProperty({ format: 'date-time', description: 'When the response was produced (UTC)' })
  timestamp: string;
}

export class ErrorDetailDto {
  @ApiProperty({ description: 'Dotted path of the offending field', example: 'email' })
  field: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;

  @ApiProperty({ description: 'Machine-readable reason, e.g. IS_EMAIL, UNKNOWN_FIELD', example: 'IS_EMAIL' })
  code: string;
}

export class ErrorInfoDto {
  @ApiProperty({
    enum: ERROR_CODES,
    enumName: 'ErrorCode',
    description: 'Stable code; branch on this, not on the message',
  })
  code: ErrorCode;

  @ApiProperty({ description: 'Human-readable explanation' })
  message: string;

  @ApiPropertyOptional({ type: [ErrorDetailDto] })
  details?: ErrorDetailDto[];
}

export class ErrorResponseDto {
  @ApiProperty({ enum: ['error'] })
  status: 'error';

  @ApiProperty({ type: ErrorInfoDto })
  error: ErrorInfoDto;

  @ApiProperty({ type: ResponseMetaDto })
  meta: ResponseMetaDto;
}

/** Schema of the success envelope `{ status, data, meta }` around `model`. */
export const ApiSuccessResponse = (
  model: Type<unknown>,
  status = 200,
  description = 'Success',
  options: { array?: boolean; headers?: Record<string, { description: string }> } = {},
): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(ResponseMetaDto, model),
    ApiResponse({
      status,
      description,
      ...(options.headers && {
        headers: Object.fromEntries(
          Object.entries(options.headers).map(([name, { description: about }]) => [
            name,
            { description: about, schema: { type: 'string' } },
          ]),
        ),
      }),
      schema: {
        type: 'object',
        required: ['status', 'data', 'meta'],
        properties: {
          status: { type: 'string', enum: ['success'] },
          data: options.array
            ? { type: 'array', items: { $ref: getSchemaPath(model) } }
            : { $ref: getSchemaPath(model) },
          meta: { $ref: getSchemaPath(ResponseMetaDto) },
        },
      },
    }),
  );

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_ERROR or BAD_REQUEST: the request is malformed; see error.details',
  401: 'UNAUTHENTICATED (no or an invalid token, wrong credentials), TOKEN_EXPIRED (refresh it) or TOTP_REQUIRED (sign in with a current 2FA code)',
  403: 'FORBIDDEN (not allowed, or a personal access token outside its scopes) or EMAIL_NOT_VERIFIED',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED: `If-Match` names a version that is no longer current; nothing was written',
  422: 'ACCESSIBILITY_PROBLEMS: the post is not published; error.details lists each problem (code, message) to fix',
  413: 'PAYLOAD_TOO_LARGE: the body is larger than the route accepts (16 KB on /api/v1/auth, BODY_LIMIT elsewhere)',
  415: 'UNSUPPORTED_MEDIA_TYPE: bodies are JSON (application/json); uploads are multipart/form-data',
  423: 'ACCOUNT_LOCKED: too many failed sign-ins; retry after the number of seconds in Retry-After',
  429: 'RATE_LIMITED: retry after the number of seconds in Retry-After',
  500: 'INTERNAL_ERROR: only the request id is disclosed',
  503: 'SERVICE_UNAVAILABLE: a dependency (the database) is briefly unavailable; retry after the seconds in Retry-After',
};

const ERROR_EXAMPLES: Record<number, { code: ErrorCode; message: string; details?: ErrorDetailDto[] }> = {
  400: {
    code: ErrorCode.VALIDATION_ERROR,
    message: 'The request is invalid',
    details: [{ field: 'email', message: 'email must be an email', code: 'IS_EMAIL' }],
  },
  401: { code: ErrorCode.UNAUTHENTICATED, message: 'Authentication required' },
  403: { code: ErrorCode.FORBIDDEN, message: 'You are not allowed to do this' },
  404: { code: ErrorCode.NOT_FOUND, message: 'The requested resource was not found' },
  409: { code: ErrorCode.CONFLICT, message: 'This username is already registered' },
  412: {
    code: ErrorCode.PRECONDITION_FAILED,
    message: 'The post changed since you read it (If-Match); nothing was written',
  },
  422: {
    code: ErrorCode.ACCESSIBILITY_PROBLEMS,
    message: 'Fix these before publishing: 1 problem',
    details: [
      {
        field: 'body',
        code: 'IMAGE_WITHOUT_ALT',
        message: 'Image 1 (lighthouse.png) has no alt text: describe what it shows for readers who cannot see it',
      },
    ],
  },
  413: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'The request body is larger than this route accepts' },
  415: { code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: 'Send the body as application/json' },
  423: {
    code: ErrorCode.ACCOUNT_LOCKED,
    message: 'Too many failed sign-ins: this account is locked; try again in 15 minute(s)',
  },
  429: { code: ErrorCode.RATE_LIMITED, message: 'Too many requests; retry after the number of seconds in Retry-After' },
  500: { code: ErrorCode.INTERNAL_ERROR, message: 'Something went wrong on our side; quote the request id' },
  503: { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'A dependency is briefly unavailable; retry shortly' },
};

/** An example envelope for one error status (each status its own code, not the validation example). */
const errorExample = (status: number): object | undefined => {
  const error = ERROR_EXAMPLES[status];
  return (
    error && {
      status: 'error',
      error,
      meta: { requestId: '0190f2a4-5b6c-7d8e-9f00-112233445566', timestamp: '2026-01-01T12:00:00.000Z' },
    }
  );
};

/** Documents the error envelope for each status a route can answer with, each with its own example. */
export const ApiErrorResponses = (...statuses: number[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        type: ErrorResponseDto,
        ...(errorExample(status) && { example: errorExample(status) }),
      }),
    ),
  );
