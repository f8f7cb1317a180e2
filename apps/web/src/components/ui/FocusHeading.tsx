import { Title, type TitleProps } from '@mantine/core';
import { useEffect, useRef } from 'react';

/**
 * A heading that takes focus when it appears: after a form is replaced by its outcome ("Check
 * your inbox"), keyboard and screen-reader users continue from the news, not from the page top.
 */
export function FocusHeading(props: TitleProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return <Title ref={ref} tabIndex={-1} style={{ outline: 'none' }} {...props} />;
}
