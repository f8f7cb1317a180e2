import type { ShownImage } from '../media.format';

interface MediaImageProps {
  image: ShownImage;
  /** How wide it shows (`sizes`): the browser picks the variant from `srcset` by it. */
  sizes: string;
  /** The text alternative; defaults to the image's alt text. `''` where the name is said next to it. */
  alt?: string;
  className?: string;
  /** Lazily unless it is the first thing on the page (a cover). */
  eager?: boolean;
}

/**
 * A library image: every stored variant in `srcset` (the browser picks by `sizes`), and its width
 * and height so the page does not jump when it loads (CSS scales it down, keeping the ratio).
 */
export function MediaImage({ image, sizes, alt, className, eager = false }: MediaImageProps) {
  return (
    <img
      src={image.url}
      srcSet={image.srcset}
      sizes={sizes}
      width={image.width}
      height={image.height}
      alt={alt ?? image.altText ?? ''}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      className={className}
    />
  );
}
