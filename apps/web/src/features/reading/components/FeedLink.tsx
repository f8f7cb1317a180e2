import { Anchor } from '@mantine/core';

/**
 * A visible link to an RSS feed (a server route: a full navigation, which a feed reader can also
 * take from here). With `alternate`, the page's <head> names the feed too (`<link rel="alternate">`,
 * which React places in the head), under that title, for browsers and feed readers to discover.
 */
export function FeedLink({
  href,
  label = 'RSS feed',
  alternate,
}: {
  href: string;
  label?: string;
  alternate?: string;
}) {
  return (
    <>
      {alternate ? <link rel="alternate" type="application/rss+xml" title={alternate} href={href} /> : null}
      <Anchor href={href} type="application/rss+xml" size="sm">
        {label}
      </Anchor>
    </>
  );
}
