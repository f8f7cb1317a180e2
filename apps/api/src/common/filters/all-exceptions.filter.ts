import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '../http/error-response';

/** Every error a route throws leaves as the error envelope; 5xx are logged with their cause, never sent. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendError(exception, request, reply, this.logger);
  }
}

export function sendError(exception: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const { statusCode, body, headers, unexpected } = toErrorResponse(exception, request.id);
  if (unexpected) {
    logger.error({ err: exception, requestId: request.id }, 'Unhandled error while serving a request');
  } else if (statusCode === 503) {
    logger.warn(
      { requestId: request.id, reason: (exception as Error)?.message },
      'Dependency unavailable: answered 503',
    );
  }
  if (reply.sent) return;
  void reply.status(statusCode).headers(headers).type('application/json; charset=utf-8').send(body);
}
