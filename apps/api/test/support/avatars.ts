import sharp from 'sharp';
import type { Call } from './api';
import type { Part } from './multipart';

export type { Part } from './multipart';

/** The upload field `file`, as a browser names and types a picked PNG by default. */
export const file = (data: Buffer | string, filename = 'avatar.png', contentType = 'image/png'): Part => ({
  name: 'file',
  data,
  filename,
  contentType,
});

/** Raw RGB pixels: `paint(x, y)` gives each pixel's colour. */
export function rgb(
  width: number,
  height: number,
  paint: (x: number, y: number) => [number, number, number],
): sharp.Sharp {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels.set(paint(x, y), (y * width + x) * 3);
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } });
}

export const RED: [number, number, number] = [220, 20, 20];
export const GREEN: [number, number, number] = [20, 200, 20];
export const BLUE: [number, number, number] = [20, 20, 220];

/** The colour of one pixel of an image. */
export async function pixel(image: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at], data[at + 1], data[at + 2]];
}

export const closeTo = (actual: [number, number, number], expected: [number, number, number]): boolean =>
  actual.every((value, i) => Math.abs(value - expected[i]) < 40);

export const expectError = (res: { statusCode: number; json: () => unknown }, status: number, code: string): void => {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ status: 'error', error: { code } });
};

/** The served headers every avatar must carry, whatever the store. */
export const AVATAR_RESPONSE_HEADERS = {
  'content-type': 'image/webp',
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'",
};

/** Avatar uploads through the shared `call`: `PUT /api/v1/me/avatar` with one part. */
export function avatarUploads(call: Call) {
  const upload = (token: string, part: Part) => call('PUT', '/api/v1/me/avatar', { token, multipart: [part] });

  /** Uploads and returns the new key (asserting success). */
  const uploadOk = async (token: string, part: Part): Promise<string> => {
    const res = await upload(token, part);
    expect(res.statusCode).toBe(200);
    const url = res.json().data.avatarUrl as string;
    expect(url).toMatch(/^\/api\/v1\/avatars\/[0-9a-f]{32}$/);
    return url.split('/').pop() as string;
  };

  return { upload, uploadOk };
}
