import { useSyncExternalStore } from 'react';

import { session, type SessionStatus, type SessionUser } from '../../lib/session';
import { signIn, signOut } from './api/auth.api';

export interface Auth {
  status: SessionStatus;
  /** The signed-in user; `undefined` unless `status` is `signed-in`. */
  user: SessionUser | undefined;
  signIn: typeof signIn;
  signOut: typeof signOut;
}

/** Who is signed in (re-renders on sign-in, sign-out and profile changes), and the actions to change it. */
export function useAuth(): Auth {
  const state = useSyncExternalStore(session.subscribe, session.get, session.get);
  return { status: state.status, user: state.user, signIn, signOut };
}
