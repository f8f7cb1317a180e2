import type { IncomingMessage } from 'node:http';
import { REQUEST_ID_HEADER } from '@atrium/contracts';
import { newId } from '../../database/ids';

// Ids from clients are echoed into logs and headers, so only short, plain tokens are trusted.
export const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's `X-Request-ID` when it is sane, else a new UUIDv7. */
export function requestIdFor(req: IncomingMessage): string {
  const header = req.headers[REQUEST_ID_HEADER];
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate !== undefined && SANE_REQUEST_ID.test(candidate) ? candidate : newId();
}
