import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { AtriumApp } from '../../src/bootstrap';

/** The password of every account the avatar tests sign up. */
export const PASSWORD = 'violet tractor umbrella 42';

export interface Part {
  name: string;
  data: Buffer | string;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body as a browser would send it. */
export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----atrium${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const headers = [`Content-Disposition: ${disposition}`];
    if (part.contentType) headers.push(`Content-Type: ${part.contentType}`);
    chunks.push(
      Buffer.from(`--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`),
      Buffer.from(part.data),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

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

/**
 * Requests against the app of a test file (`atrium()` is read at call time, so it may be started in
 * `beforeAll`): raw calls, sign-up plus sign-in, and avatar uploads.
 */
export function avatarRequests(atrium: () => AtriumApp) {
  const call = (
    method: 'GET' | 'PUT' | 'DELETE' | 'POST',
    url: string,
    options: { token?: string; body?: object; multipart?: Part[]; raw?: { body: Buffer; contentType: string } } = {},
  ) => {
    const form = options.multipart ? multipart(options.multipart) : options.raw;
    return atrium().app.inject({
      method,
      url: `/api/v1${url}`,
      payload: form ? form.body : options.body,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(form ? { 'content-type': form.contentType } : {}),
      },
    });
  };

  /** Registers `username` and signs in: the access token and the user's id. */
  const signedIn = async (username: string): Promise<{ token: string; id: string }> => {
    const registered = await call('POST', '/auth/register', {
      body: { email: `${username}@example.com`, username, password: PASSWORD },
    });
    expect(registered.statusCode).toBe(201);
    const res = await call('POST', '/auth/login', { body: { login: username, password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    return { token: res.json().data.accessToken as string, id: registered.json().data.id as string };
  };

  const upload = (token: string, part: Part) => call('PUT', '/me/avatar', { token, multipart: [part] });

  /** Uploads and returns the new key (asserting success). */
  const uploadOk = async (token: string, part: Part): Promise<string> => {
    const res = await upload(token, part);
    expect(res.statusCode).toBe(200);
    const url = res.json().data.avatarUrl as string;
    expect(url).toMatch(/^\/api\/v1\/avatars\/[0-9a-f]{32}$/);
    return url.split('/').pop() as string;
  };

  return { call, signedIn, upload, uploadOk };
}
