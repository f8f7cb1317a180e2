import { paths } from '../../app/paths';

/**
 * Where to go after signing in: a path inside this app only. `//evil.example` and `/\evil` are
 * protocol-relative URLs to another site, so they are refused like any absolute URL.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return paths.home;
  // Control characters (tabs, line breaks) are dropped by URL parsers: "/\t/evil.example" would
  // become "//evil.example".
  if (Array.from(value).some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127)) return paths.home;
  return value;
}

/** The sign-in page, coming back to `path` afterwards. */
export function signInPath(path: string): string {
  return path === paths.home ? paths.signIn : `${paths.signIn}?returnTo=${encodeURIComponent(path)}`;
}
