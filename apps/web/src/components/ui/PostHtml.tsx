import { Typography } from '@mantine/core';
import type { HTMLAttributes } from 'react';
import classes from './PostHtml.module.css';

interface PostHtmlProps extends Omit<HTMLAttributes<HTMLDivElement>, 'dangerouslySetInnerHTML' | 'children'> {
  /** HTML the API rendered from Markdown and cleaned. */
  html: string;
}

/**
 * A post's rendered body, styled once for the post's page and the editor's preview.
 *
 * Safe to insert as HTML: the API renders it from the Markdown and cleans it with sanitize-html to
 * an allowlist — no script, event handler, style, iframe, form or javascript:/data: URL survives
 * (docs/API.md, "Posts"). Only the API's `html` fields belong here.
 */
export function PostHtml({ html, className, ...rest }: PostHtmlProps) {
  return (
    <Typography>
      <div
        {...rest}
        className={className ? `${classes.html} ${className}` : classes.html}
        dangerouslySetInnerHTML={{ __html: html }}
      />
    </Typography>
  );
}
