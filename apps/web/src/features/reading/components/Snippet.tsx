import { Fragment, type ReactNode, useMemo } from 'react';

/**
 * The nodes of a parsed snippet as React nodes: text as text, `<mark>` as `<mark>`, and any other
 * element only by its text — whatever the HTML holds, nothing but <mark> becomes markup.
 */
function toReactNodes(nodes: NodeListOf<ChildNode>): ReactNode[] {
  return Array.from(nodes, (node, index) => {
    if (node.nodeType === Node.TEXT_NODE) return <Fragment key={index}>{node.textContent}</Fragment>;
    if (node instanceof Element && node.tagName === 'MARK')
      return <mark key={index}>{toReactNodes(node.childNodes)}</mark>;
    // Anything else (which the API does not send) is reduced to its text; comments disappear.
    return node instanceof Element ? <Fragment key={index}>{node.textContent}</Fragment> : null;
  });
}

/**
 * A search result's snippet: HTML that is escaped text with the matched words in <mark> (the
 * API's promise). Not put into the page as HTML: it is parsed in an inert document (DOMParser's
 * documents run no script and load nothing) and rebuilt from React nodes that allow <mark> only,
 * so even a snippet that broke that promise could add no other element or attribute.
 */
export function Snippet({ html }: { html: string }) {
  const nodes = useMemo(
    () => toReactNodes(new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html').body.childNodes),
    [html],
  );
  return <>{nodes}</>;
}
