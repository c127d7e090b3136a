/**
 * The local stand-in for the S3 → SQS → Lambda path: each object-created notification is delivered to
 * the function, deliveries of one object are serialized (as one SQS message group would be), a failed
 * delivery is retried a bounded number of times after a growing pause (as SQS redelivers after the
 * visibility timeout), and a delivery that keeps failing is parked in a dead-letter list (as SQS moves
 * it to the dead-letter queue after `maxReceiveCount`). Different objects are delivered concurrently.
 *
 * The dispatcher knows nothing about the handler: the runtime passes a `deliver` function that wraps the
 * notification in an SQS event, calls the handler, and throws when the record failed.
 */

/** The object a notification is about. */
export interface ObjectRef {
  readonly bucket: string;
  /** The key as stored (decoded). */
  readonly key: string;
}

/** How the delivery of one notification ended. */
export interface DeliveryOutcome extends ObjectRef {
  readonly status: 'processed' | 'dead-lettered' | 'abandoned';
  /** Calls made to the function, the successful one included. */
  readonly attempts: number;
  /** Why the last attempt failed: an error class name or a code, never a message (it could quote data). */
  readonly lastFailure?: string;
}

/** A notification that failed every attempt: kept, like a message in a dead-letter queue. */
export interface DeadLetter extends ObjectRef {
  readonly attempts: number;
  readonly lastFailure: string;
  readonly parkedAt: string;
}

/** Options of {@link LocalDispatcher}. */
export interface LocalDispatcherOptions<N extends ObjectRef> {
  /** Deliver one notification; throw (or reject) when it failed and should be retried. */
  deliver: (notification: N, attempt: number) => Promise<void>;
  /** Calls per notification before it is parked (SQS `maxReceiveCount`; default 3). */
  maxAttempts?: number;
  /** Pause before the second attempt, doubled before each later one (default 250 ms). */
  retryDelayMs?: number;
  /** Told each outcome as it happens (the runtime prints one line per object). */
  onOutcome?: (outcome: DeliveryOutcome) => void;
}

const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_RETRY_DELAY_MS = 250;

/**
 * Serialized, retried, dead-lettered delivery of object notifications.
 *
 * @example
 * const dispatcher = new LocalDispatcher({ deliver: (n) => callHandler(n), maxAttempts: 3 });
 * dispatcher.enqueue({ bucket: 'inbound', key: 'acme/837/batch.x12' });
 * await dispatcher.idle();
 */
export class LocalDispatcher<N extends ObjectRef = ObjectRef> {
  private readonly deliver: (notification: N, attempt: number) => Promise<void>;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly onOutcome: ((outcome: DeliveryOutcome) => void) | undefined;
  /** The tail of each object's chain of deliveries: the next one starts after it. */
  private readonly tails = new Map<string, Promise<DeliveryOutcome>>();
  /** Deliveries queued or running. */
  private readonly pending = new Set<Promise<DeliveryOutcome>>();
  private readonly settled: DeliveryOutcome[] = [];
  private readonly parked: DeadLetter[] = [];
  private readonly waiters = new Set<{ ref: ObjectRef; resolve: (outcome: DeliveryOutcome) => void }>();
  /** Wakes retries that are pausing, so that stop() need not wait out their delays. */
  private readonly pauses = new Set<() => void>();
  private stopping = false;

  constructor(options: LocalDispatcherOptions<N>) {
    this.deliver = options.deliver;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.retryDelayMs = Math.max(0, options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS);
    this.onOutcome = options.onOutcome;
  }

  /** Queue a notification behind any earlier one for the same object. Ignored once stopping. */
  enqueue(notification: N): void {
    if (this.stopping) return;
    const id = objectId(notification);
    const previous = this.tails.get(id) ?? Promise.resolve(undefined);
    const delivery = previous.then(() => this.deliverWithRetries(notification));
    this.tails.set(id, delivery);
    this.pending.add(delivery);
    void delivery.finally(() => {
      this.pending.delete(delivery);
      if (this.tails.get(id) === delivery) this.tails.delete(id);
    });
  }

  /** Resolves when nothing is queued or running (including deliveries queued while waiting). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /**
   * The outcome of the next delivery of `ref` to settle from now on, or of one that settled already
   * when `includeSettled` (the latest such).
   */
  nextOutcome(ref: ObjectRef, includeSettled = false): Promise<DeliveryOutcome> {
    if (includeSettled) {
      for (let index = this.settled.length - 1; index >= 0; index--) {
        const earlier = this.settled[index]!;
        if (objectId(earlier) === objectId(ref)) return Promise.resolve(earlier);
      }
    }
    return new Promise((resolve) => this.waiters.add({ ref, resolve }));
  }

  /** Every outcome so far, in the order they settled. */
  outcomes(): readonly DeliveryOutcome[] {
    return [...this.settled];
  }

  /** The notifications that failed every attempt. */
  deadLetters(): readonly DeadLetter[] {
    return [...this.parked];
  }

  /**
   * Accept no more notifications, let the deliveries running now finish, and abandon queued retries
   * (their objects stay in the inbound bucket, as a message would stay in its queue).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.pauses) wake();
    await this.idle();
  }

  private async deliverWithRetries(notification: N): Promise<DeliveryOutcome> {
    const ref: ObjectRef = { bucket: notification.bucket, key: notification.key };
    let lastFailure = '';
    let attempt = 0;
    while (attempt < this.maxAttempts) {
      if (this.stopping && attempt > 0) return this.settle({ ...ref, status: 'abandoned', attempts: attempt, lastFailure });
      attempt += 1;
      try {
        await this.deliver(notification, attempt);
        return this.settle({ ...ref, status: 'processed', attempts: attempt });
      } catch (error) {
        lastFailure = failureName(error);
      }
      if (attempt < this.maxAttempts) await this.pause(this.retryDelayMs * 2 ** (attempt - 1));
    }
    this.parked.push({ ...ref, attempts: attempt, lastFailure, parkedAt: new Date().toISOString() });
    return this.settle({ ...ref, status: 'dead-lettered', attempts: attempt, lastFailure });
  }

  private settle(outcome: DeliveryOutcome): DeliveryOutcome {
    this.settled.push(outcome);
    for (const waiter of this.waiters) {
      if (objectId(waiter.ref) === objectId(outcome)) {
        this.waiters.delete(waiter);
        waiter.resolve(outcome);
      }
    }
    this.onOutcome?.(outcome);
    return outcome;
  }

  private pause(milliseconds: number): Promise<void> {
    if (this.stopping || milliseconds === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.pauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, milliseconds);
      this.pauses.add(wake);
    });
  }
}

function objectId(ref: ObjectRef): string {
  return `${ref.bucket}/${ref.key}`;
}

/** A failure's name for people and logs: the error class (or its `code`), never its message. */
export function failureName(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== '' ? `${error.name} (${code})` : error.name || 'Error';
  }
  return typeof error;
}
