/**
 * Work the user waits on: nothing to see when it is quick, a notification
 * saying what is going on when it takes a while.
 */
import { Notification } from '@jupyterlab/apputils';

/** How long work may take before the user is told it is under way. */
export const SLOW_MS = 300;

/**
 * `work`'s result; if it takes longer than `delayMs`, an in-progress
 * notification says `message` until it is done.
 */
export async function whileSlow<T>(
  message: string,
  work: Promise<T>,
  delayMs = SLOW_MS
): Promise<T> {
  let shown: string | null = null;
  const timer = setTimeout(() => {
    shown = Notification.emit(message, 'in-progress', { autoClose: false });
  }, delayMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
    if (shown !== null) {
      Notification.dismiss(shown);
    }
  }
}
