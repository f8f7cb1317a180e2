// What other features use of the media library: the picker (editor: images, covers) and the image itself.
export type { Media } from './api/media.api';
export { MediaImage } from './components/MediaImage';
export { MediaPicker, type PickPurpose } from './components/MediaPicker';
export { mediaMarkdown, type ShownImage } from './media.format';
// Library images as the API answers them, for the tests of the features that show the picker (unused by the app: left out of its build).
export { mediaId, mediaItem, mediaListEnvelope } from './test-fixtures';
