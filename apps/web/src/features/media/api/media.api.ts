import { isApiErrorResponse, type PaginationMeta, type Schema } from '@atrium/api-client';

import { ApiError, apiClient, callApi, NETWORK_ERROR, refreshSession, toApiError, unwrap } from '../../../lib/api';
import { session } from '../../../lib/session';

/** An image of the library: its variants (`srcset`), size, alt text, caption and how many posts show it. */
export type Media = Schema<'MediaDto'>;
export type MediaChanges = Schema<'UpdateMediaDto'>;

export interface MediaPage {
  items: Media[];
  pagination: PaginationMeta;
}

/** One page of the library: the caller's images (an editor's: everyone's), newest first. */
export async function fetchMedia(
  { page, perPage }: { page: number; perPage: number },
  signal?: AbortSignal,
): Promise<MediaPage> {
  const { data, error, response } = await callApi(() =>
    apiClient.GET('/api/v1/media', { params: { query: { page, perPage } }, signal }),
  );
  if (!data) throw toApiError(error, response);
  return { items: data.data, pagination: data.meta.pagination };
}

/** Alt text and caption (`null` or empty clears one). */
export function updateMedia(id: string, changes: MediaChanges): Promise<Media> {
  return unwrap(apiClient.PATCH('/api/v1/media/{id}', { params: { path: { id } }, body: changes }));
}

/** Deletes an image; `409 CONFLICT` (detail `MEDIA_IN_USE`) while posts show it, unless `force`. */
export async function deleteMedia(id: string, force = false): Promise<void> {
  await unwrap(
    apiClient.DELETE('/api/v1/media/{id}', { params: { path: { id }, query: force ? { force: true } : {} } }),
  );
}

/** How far an upload has come: bytes sent of the total. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

const UPLOAD_URL = '/api/v1/media';

/**
 * Sends one image (`multipart/form-data`, one field `file`). Through XMLHttpRequest rather than
 * the fetch client: only it reports how much of the body has gone (`onProgress`). The access token
 * goes along as with every call; an expired one is refreshed once and the upload sent again.
 */
export async function uploadMedia(
  file: File,
  { onProgress, signal }: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<Media> {
  const first = await send(file, session.get().accessToken, onProgress, signal);
  let answer = first;
  if (first.status === 401 && errorCode(first.body) === 'TOKEN_EXPIRED') {
    const token = await refreshSession();
    if (token) answer = await send(file, token, onProgress, signal);
  }
  const { status, body, headers } = answer;
  if (status === 201 && isSuccess(body)) return body.data;
  throw toApiError(body, new Response(null, { status, headers }));
}

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

const errorCode = (body: unknown) => (isApiErrorResponse(body) ? body.error.code : undefined);
const isSuccess = (body: unknown): body is { data: Media } =>
  typeof body === 'object' && body !== null && 'data' in body && (body as { status?: unknown }).status === 'success';

function send(
  file: File,
  token: string | undefined,
  onProgress: ((progress: UploadProgress) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const base = globalThis.location?.origin ?? '';
    request.open('POST', `${base}${UPLOAD_URL}`);
    if (token) request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress?.({ loaded: event.loaded, total: event.total });
    });
    request.addEventListener('load', () => {
      let body: unknown;
      try {
        body = request.responseText ? JSON.parse(request.responseText) : undefined;
      } catch {
        body = undefined;
      }
      const headers = new Headers();
      for (const name of ['x-request-id', 'retry-after']) {
        const value = request.getResponseHeader(name);
        if (value !== null) headers.set(name, value);
      }
      resolve({ status: request.status, body, headers });
    });
    request.addEventListener('error', () =>
      reject(
        new ApiError(
          'The Atrium API could not be reached. Check your connection and that the server is running.',
          NETWORK_ERROR,
        ),
      ),
    );
    request.addEventListener('abort', () => reject(new DOMException('The upload was cancelled', 'AbortError')));
    if (signal) {
      if (signal.aborted) {
        reject(new DOMException('The upload was cancelled', 'AbortError'));
        return;
      }
      signal.addEventListener(
        'abort',
        () => {
          request.abort();
          // Settled here, not only by the request's own `abort` event (which may come late, or not at all once sent).
          reject(new DOMException('The upload was cancelled', 'AbortError'));
        },
        { once: true },
      );
    }
    const form = new FormData();
    form.append('file', file);
    request.send(form);
  });
}
