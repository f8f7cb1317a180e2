import { HttpException } from '@nestjs/common';
import type { ErrorCode } from '@atrium/contracts';

export interface ErrorDetail {
  field: string;
  message: string;
  code: string;
}

/** An error a client is meant to see: HTTP status, a stable code from `@atrium/contracts`, a message, optional details. */
export class ApiException extends HttpException {
  constructor(
    status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message, status);
  }
}
