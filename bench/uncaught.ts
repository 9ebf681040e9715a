/**
 * face-api runs parts of its tasks inside `new Promise(async resolve => …)`: an error there is an
 * unhandled rejection and the task never settles. Racing a call against the worker's uncaught
 * errors turns such a hang into a failed run with the real message.
 */
const asError = (reason: unknown) => (reason instanceof Error ? reason : new Error(String(reason)));

export async function failOnUncaught<T>(work: () => Promise<T>): Promise<T> {
  let detach = () => {};
  const crash = new Promise<never>((_, reject) => {
    const onRejection = (event: PromiseRejectionEvent) => {
      event.preventDefault();
      reject(asError(event.reason));
    };
    const onError = (event: ErrorEvent) => reject(asError(event.error ?? event.message));
    self.addEventListener('unhandledrejection', onRejection);
    self.addEventListener('error', onError);
    detach = () => {
      self.removeEventListener('unhandledrejection', onRejection);
      self.removeEventListener('error', onError);
    };
  });
  try {
    return await Promise.race([work(), crash]);
  } finally {
    detach();
  }
}
