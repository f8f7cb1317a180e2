import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '@atrium/contracts';
import { ApiException } from '../../common/http/api.exception';
import { AVATAR_MAX_BYTES } from './avatar-image';

/** The multipart field that carries the image. */
export const AVATAR_FIELD = 'file';
/** Room for the multipart boundaries and part headers around a file of the largest size. */
const ENVELOPE_ALLOWANCE = 16 * 1024;

const tooLarge = (maxBytes: number): ApiException =>
  new ApiException(413, ErrorCode.PAYLOAD_TOO_LARGE, `The image is larger than ${maxBytes / 1024 / 1024} MB`);

const onlyOneFile = (): ApiException =>
  new ApiException(
    400,
    ErrorCode.VALIDATION_ERROR,
    `Send exactly one file, in the field "${AVATAR_FIELD}", and nothing else`,
    [{ field: AVATAR_FIELD, message: 'Exactly one file and no other fields', code: 'SINGLE_FILE_ONLY' }],
  );

const notMultipart = (): ApiException =>
  new ApiException(
    415,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    `Send the image as multipart/form-data, in a file field named "${AVATAR_FIELD}"`,
  );

/** @fastify/multipart's and busboy's errors, in the words of the error envelope. */
function translate(error: unknown, maxBytes: number): unknown {
  if (error instanceof ApiException) return error;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(maxBytes);
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_PROTO_VIOLATION':
      return onlyOneFile();
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return notMultipart();
    default:
      // busboy throws plain errors for a body that is not well-formed multipart (no boundary, cut-off part).
      if (error instanceof Error && typeof code !== 'string') {
        return new ApiException(400, ErrorCode.BAD_REQUEST, 'The multipart/form-data body is malformed');
      }
      return error;
  }
}

/** Reads the one image of an avatar upload (at most AVATAR_MAX_BYTES). */
export const readAvatarUpload = (request: FastifyRequest): Promise<Buffer> =>
  readImageUpload(request, AVATAR_MAX_BYTES);

/**
 * Reads the one image of an upload into memory (at most `maxBytes`), refusing anything else in the
 * body. The client's file name and Content-Type are ignored: only the bytes are judged, later.
 */
export async function readImageUpload(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  if (!request.isMultipart()) throw notMultipart();
  // An honest client that announces a body far too large is turned away before it is read.
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + ENVELOPE_ALLOWANCE) throw tooLarge(maxBytes);

  let image: Buffer | undefined;
  try {
    const parts = request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 } });
    // Every part is consumed, so limits hit after the file (a second file, a field) still surface.
    for await (const part of parts) {
      if (part.type !== 'file' || part.fieldname !== AVATAR_FIELD) throw onlyOneFile();
      image = await part.toBuffer();
    }
  } catch (error) {
    throw translate(error, maxBytes);
  }
  if (image === undefined) {
    throw new ApiException(400, ErrorCode.VALIDATION_ERROR, `No file: send the image in the field "${AVATAR_FIELD}"`, [
      { field: AVATAR_FIELD, message: 'A file is required', code: 'IS_NOT_EMPTY' },
    ]);
  }
  return image;
}
