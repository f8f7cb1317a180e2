/**
 * Calls `expire` once `ms` have passed, unless the returned `cancel` is called first.
 *
 * The deadline is judged only after the event loop has read what arrived meanwhile. Timers run
 * before the loop reads its sockets, so in a process that was busy past the deadline (a long GC
 * pause, a slow synchronous task) a plain timer would fail work whose answer was already waiting in
 * its socket, and blame the dependency for its own stall (docs/DECISIONS.md 114). `setImmediate`
 * runs after that read: by then an answer that had come has cancelled the deadline.
 */
export function deadline(ms: number, expire: () => void): () => void {
  let late: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => (late = setImmediate(expire)), ms);
  return () => {
    clearTimeout(timer);
    if (late !== undefined) clearImmediate(late);
  };
}

/**
 * `work`, or a rejection with `message` once `ms` have passed without its answer (judged as
 * `deadline` does): a dependency that does not answer is bounded.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = deadline(ms, () => reject(new Error(message)));
    // Settled only when `work` is: resolving with `work` itself at once would tie this promise to
    // it, and the deadline's rejection would be ignored. A failed `work` is passed on by adoption.
    work.then(
      (value) => {
        cancel();
        resolve(value);
      },
      () => {
        cancel();
        resolve(work);
      },
    );
  });
}
