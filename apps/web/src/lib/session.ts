import type { Schema } from '@atrium/api-client';

export type SessionUser = Schema<'UserDto'>;

/**
 * `restoring`: the app is asking the API whether the refresh cookie still holds a session.
 * `signed-in`: an access token (in memory only) and the user it belongs to.
 * `signed-out`: neither.
 */
export type SessionStatus = 'restoring' | 'signed-in' | 'signed-out';

export type SessionState =
  | { status: 'restoring' | 'signed-out'; user?: undefined; accessToken?: undefined }
  | { status: 'signed-in'; user: SessionUser; accessToken: string };

/**
 * Not a secret and not a token: only "this browser signed in and may still hold the HttpOnly
 * refresh cookie". Without it the app does not ask `/auth/refresh` at start-up, so an anonymous
 * visit costs no request against the per-IP auth rate limit and logs no 401. Other tabs watch it
 * to follow a sign-out.
 */
export const SESSION_HINT_KEY = 'atrium.signed-in';

const RESTORING: SessionState = { status: 'restoring' };
const SIGNED_OUT: SessionState = { status: 'signed-out' };

function readHint(): boolean {
  try {
    return globalThis.localStorage?.getItem(SESSION_HINT_KEY) === '1';
  } catch {
    // Storage can be disabled (privacy settings): then every start asks the API.
    return true;
  }
}

function writeHint(signedIn: boolean): void {
  try {
    if (signedIn) globalThis.localStorage?.setItem(SESSION_HINT_KEY, '1');
    else globalThis.localStorage?.removeItem(SESSION_HINT_KEY);
  } catch {
    // Storage disabled: nothing to remember.
  }
}

let state: SessionState = readHint() ? RESTORING : SIGNED_OUT;
const listeners = new Set<() => void>();

function update(next: SessionState): void {
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

/**
 * Who is signed in, held in memory only: a reload loses the access token and the app gets a new
 * one through the refresh cookie. Read it in components through `useAuth()`.
 */
export const session = {
  get: (): SessionState => state,

  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  /** Whether a refresh cookie may exist, so that asking `/auth/refresh` is worth a request. */
  mayBeRestored: (): boolean => readHint(),

  restoring(): void {
    if (state.status !== 'signed-in') update(RESTORING);
  },

  signedIn(accessToken: string, user: SessionUser): void {
    writeHint(true);
    update({ status: 'signed-in', accessToken, user });
  },

  userChanged(user: SessionUser): void {
    if (state.status === 'signed-in') update({ ...state, user });
  },

  /**
   * `forget: false` keeps the hint: the API could not be asked (offline, 5xx), so the next start
   * should try to restore the session again.
   */
  signedOut({ forget = true }: { forget?: boolean } = {}): void {
    if (forget) writeHint(false);
    update(SIGNED_OUT);
  },
};

/** A fresh app start (tests render the app many times in one module instance). */
export function resetSession(): void {
  update(readHint() ? RESTORING : SIGNED_OUT);
}
