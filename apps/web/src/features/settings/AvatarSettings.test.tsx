import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { paths } from '../../app/paths';
import { ada, detailedErrorEnvelope, envelope, errorEnvelope } from '../../test/api-fixtures';
import { rememberSignIn, signedInApi } from '../../test/auth';
import { api, callsTo, json, requestsTo, useApi } from '../../test/msw';
import { renderPage } from '../../test/render';
import { RequireAuth } from '../auth';
import { ProfileSettingsPage } from './ProfileSettingsPage';

const renderProfilePage = () =>
  renderPage(
    [{ element: <RequireAuth />, children: [{ path: paths.settings.profile, element: <ProfileSettingsPage /> }] }],
    paths.settings.profile,
  );

const NEW_AVATAR = '/api/v1/avatars/0f8e9c3b5a7d41e2b6c4d8a0f1e2d3c4';
const OLD_AVATAR = '/api/v1/avatars/aaaabbbbccccddddeeeeffff00001111';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const picture = (name = 'me.png', type = 'image/png', size = 2048) =>
  new File([new Uint8Array(size).map((_, i) => PNG_SIGNATURE[i] ?? i % 251)], name, { type });

const avatarSection = async () => within(await screen.findByRole('region', { name: 'Avatar' }));
/** The avatar as shown: a named image whose picture, if any, is the `<img>` inside. */
const shownPicture = (section: ReturnType<typeof within>) =>
  section
    .getByRole('img', { name: /^Your avatar/ })
    .querySelector('img')
    ?.getAttribute('src');
const drop = (section: ReturnType<typeof within>, file: File) =>
  fireEvent.drop(section.getByText('Drop a picture here, or choose one.'), { dataTransfer: { files: [file] } });

describe('Avatar (profile page)', () => {
  it('previews the chosen picture, sends it as multipart to PUT /me/avatar, and shows the new image', async () => {
    const user = userEvent.setup({ delay: null });
    const appended: unknown[][] = [];
    const { append } = FormData.prototype as { append: (...args: unknown[]) => void };
    vi.spyOn(FormData.prototype, 'append').mockImplementation(function (this: FormData, ...args: unknown[]) {
      appended.push(args);
      append.apply(this, args);
    });
    rememberSignIn();
    useApi(
      ...signedInApi(),
      api.put('/api/v1/me/avatar', () => json(envelope({ avatarUrl: NEW_AVATAR }))),
    );
    renderProfilePage();

    const section = await avatarSection();
    // No picture yet: the initials stand in.
    expect(section.getByRole('img', { name: 'Your avatar: your initials' })).toHaveTextContent('AL');
    expect(section.queryByRole('button', { name: 'Remove avatar' })).not.toBeInTheDocument();

    const chosen = picture();
    await user.upload(section.getByLabelText('Avatar picture file'), chosen);
    // The centre square the API will keep, before anything is sent.
    const preview = await section.findByRole('img', { name: /^Preview of your new avatar/ });
    expect(preview.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(callsTo('/api/v1/me/avatar')).toBe(0);

    await user.click(section.getByRole('button', { name: 'Save avatar' }));

    expect(await screen.findByText('Avatar saved.')).toBeInTheDocument();
    await waitFor(() => expect(shownPicture(section)).toBe(NEW_AVATAR));
    expect(section.queryByRole('img', { name: /^Preview/ })).not.toBeInTheDocument();
    expect(section.getByRole('button', { name: 'Choose a picture' })).toHaveFocus();
    const [put] = requestsTo('/api/v1/me/avatar');
    expect(put?.method).toBe('PUT');
    expect(put?.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    // The file part is the chosen file itself. (Read back here it would not be: the test environment's
    // fetch, Node's, cannot serialise a File made by jsdom. Browsers have one kind of File.)
    expect(appended).toHaveLength(1);
    expect(appended[0]?.[0]).toBe('file');
    expect(appended[0]?.[1]).toBe(chosen);
    expect(section.getByRole('button', { name: 'Remove avatar' })).toBeInTheDocument();
  });

  it('disables the controls while uploading, and shows why the API refused a picture (415, 413, 400)', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    const answers = [
      json(
        detailedErrorEnvelope(
          'UNSUPPORTED_MEDIA_TYPE',
          'The file is GIF (image/gif), which is not accepted; upload a PNG, JPEG or WebP image',
          [{ field: 'file', message: 'Only PNG, JPEG and WebP images are accepted', code: 'UNSUPPORTED_IMAGE_TYPE' }],
        ),
        415,
      ),
      json(errorEnvelope('PAYLOAD_TOO_LARGE', 'The image is larger than 2 MB', 'req-413'), 413),
      json(
        detailedErrorEnvelope('VALIDATION_ERROR', 'The image has more than 25 megapixels; scale it down first', [
          {
            field: 'file',
            message: 'The image has more than 25 megapixels; scale it down first',
            code: 'TOO_MANY_PIXELS',
          },
        ]),
        400,
      ),
    ];
    let release = () => {};
    useApi(
      ...signedInApi(),
      api.put('/api/v1/me/avatar', async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return answers.shift()!;
      }),
    );
    renderProfilePage();

    const section = await avatarSection();
    drop(section, picture('renamed.png'));
    await user.click(await section.findByRole('button', { name: 'Save avatar' }));

    expect(await section.findByText('Uploading your picture…')).toBeInTheDocument();
    expect(section.getByRole('button', { name: 'Save avatar' })).toBeDisabled();
    expect(section.getByRole('button', { name: 'Cancel' })).toBeDisabled();
    expect(section.getByRole('button', { name: 'Choose another picture' })).toBeDisabled();
    release();

    const refused = await section.findByRole('alert');
    expect(refused).toHaveTextContent('Could not save the avatar');
    expect(refused).toHaveTextContent('The file is GIF (image/gif), which is not accepted');
    expect(refused).toHaveFocus();
    // The preview stays, to try again.
    expect(section.getByRole('img', { name: /^Preview/ })).toBeInTheDocument();

    await user.click(section.getByRole('button', { name: 'Save avatar' }));
    release();
    await waitFor(() =>
      expect(section.getByRole('alert')).toHaveTextContent(
        'The picture is larger than 2 MB. Choose a smaller one, or scale it down first.',
      ),
    );

    await user.click(section.getByRole('button', { name: 'Save avatar' }));
    release();
    await waitFor(() =>
      expect(section.getByRole('alert')).toHaveTextContent(
        'The image has more than 25 megapixels; scale it down first',
      ),
    );
    expect(callsTo('/api/v1/me/avatar')).toBe(3);

    // Giving up clears the problem and the preview, and leaves focus on the way to choose again.
    await user.click(section.getByRole('button', { name: 'Cancel' }));
    expect(section.queryByRole('alert')).not.toBeInTheDocument();
    expect(section.queryByRole('img', { name: /^Preview/ })).not.toBeInTheDocument();
    expect(section.getByRole('button', { name: 'Choose a picture' })).toHaveFocus();
  });

  it('refuses a file that cannot be an avatar before sending it', async () => {
    rememberSignIn();
    useApi(...signedInApi());
    renderProfilePage();

    const section = await avatarSection();
    drop(section, picture('anim.gif', 'image/gif'));
    expect(await section.findByRole('alert')).toHaveTextContent('Choose a PNG, JPEG or WebP picture.');

    drop(section, picture('huge.jpg', 'image/jpeg', 3 * 1024 * 1024));
    await waitFor(() =>
      expect(section.getByRole('alert')).toHaveTextContent('This picture is 3 MB; the largest is 2 MB.'),
    );
    expect(section.queryByRole('button', { name: 'Save avatar' })).not.toBeInTheDocument();
    expect(callsTo('/api/v1/me/avatar')).toBe(0);
  });

  it('removes the avatar with DELETE /me/avatar, leaving the initials', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(
      ...signedInApi({ ...ada, avatarUrl: OLD_AVATAR }),
      api.delete('/api/v1/me/avatar', () => json(envelope({ avatarUrl: null }))),
    );
    renderProfilePage();

    const section = await avatarSection();
    expect(shownPicture(section)).toBe(OLD_AVATAR);
    await user.click(section.getByRole('button', { name: 'Remove avatar' }));

    expect(await screen.findByText('Avatar removed.')).toBeInTheDocument();
    expect(requestsTo('/api/v1/me/avatar').map((request) => request.method)).toEqual(['DELETE']);
    expect(section.getByRole('img', { name: 'Your avatar: your initials' })).toHaveTextContent('AL');
    expect(section.queryByRole('button', { name: 'Remove avatar' })).not.toBeInTheDocument();
  });

  it('marks on the whole chosen picture the centred square the server keeps, in pictures and in words', async () => {
    const user = userEvent.setup({ delay: null });
    rememberSignIn();
    useApi(...signedInApi());
    renderProfilePage();

    const section = await avatarSection();
    await user.upload(section.getByLabelText('Avatar picture file'), picture('wide.png'));
    const original = await section.findByRole('img', {
      name: 'Your chosen picture, with the part that will be kept marked',
    });
    expect(section.getByText('The square in the middle of the picture is kept.')).toBeInTheDocument();

    // A landscape picture, 400 × 200 (jsdom loads no image: its size is given here).
    Object.defineProperty(original, 'naturalWidth', { configurable: true, value: 400 });
    Object.defineProperty(original, 'naturalHeight', { configurable: true, value: 200 });
    fireEvent.load(original);

    expect(
      await section.findByText(
        'Kept: the marked 200 × 200 square in the middle of this 400 × 200 picture; the dimmed left and right edges are cut off.',
      ),
    ).toBeInTheDocument();
    const square = original.parentElement?.querySelector<HTMLElement>('[data-crop-square]');
    expect(square?.style.left).toBe('25%');
    expect(square?.style.width).toBe('50%');
    expect(square?.style.top).toBe('0%');
    expect(square?.style.height).toBe('100%');
    // And the result, as it will show.
    expect(section.getByRole('img', { name: /^Preview of your new avatar/ })).toBeInTheDocument();
    expect(section.getByRole('button', { name: 'Save avatar' })).toBeEnabled();
  });
});
