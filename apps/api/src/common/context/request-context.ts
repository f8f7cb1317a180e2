import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuthUser } from '../auth/auth-user';

/**
 * What every layer may know about the request in progress without it being passed down:
 * who is acting, from where, under which request id. The HTTP server opens one per request
 * (bootstrap); jobs and the CLI run without one. The audit log reads it by itself.
 */
export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** Set by the authentication guard once the caller is known. */
  actor?: AuthUser;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  /** Runs `work` (and everything it awaits) inside `context`. */
  run<T>(context: RequestContext, work: () => T): T {
    return storage.run(context, work);
  },
  /** The context of the request in progress, or undefined outside a request (jobs, CLI, start-up). */
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  /** Records the authenticated caller on the current request. */
  setActor(actor: AuthUser): void {
    const context = storage.getStore();
    if (context) context.actor = actor;
  },
};
