/**
 * Background jobs (issue 18): one interface, two implementations.
 * - PostgreSQL: pg-boss. Jobs are rows in the `pgboss` schema, fetched with SKIP LOCKED by whichever
 *   app process polls first; a job whose process dies stays "active" until its lease
 *   (`expireInSeconds`, JOB_LEASE_SECONDS) runs out, then the cluster-wide maintenance (every
 *   JOB_MAINTENANCE_SECONDS, one process at a time) fails it and pg-boss hands the retry to another
 *   process. Repeating jobs (`every`) are pg-boss schedules: one job per slot for the whole cluster.
 *   The schema and the queues (partitions of `pgboss.job`) are made by the owner role at migrate time
 *   (db/queue.ts); the app role only reads and writes rows.
 * - PGlite: the same calls run in this process (one process per data folder, nothing to take over).
 * Handlers are registered by the modules that own the work (`defineJob`), so both module graphs
 * (server.ts and the Remix build) see them; the active queue lives on globalThis like the database.
 * Every handler must be idempotent: a job may run again after a lease expires.
 */
import PgBoss from "pg-boss";

/** The queues and how long a job of each may run before another process may take it over. */
export const QUEUE_NAMES = ["certificates", "outbox", "integrity", "sweep", "reminders"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
export type JobData = Record<string, unknown>;
export type JobHandler = (data: JobData) => Promise<void>;

export interface SendOptions {
  /** Run no earlier than this many seconds from now. */
  delaySeconds?: number;
  /** At most one job of this name (and key) per window of this many seconds, cluster-wide. */
  throttleSeconds?: number;
  /** Like throttle, but a send inside a taken window goes to the next window instead of being dropped. */
  debounceSeconds?: number;
  key?: string;
}

export interface JobQueue {
  readonly kind: "pg-boss" | "in-process";
  /** Queues one job of `name` (handled by whichever process polls first). */
  send(name: QueueName, data?: JobData, options?: SendOptions): Promise<void>;
  /** Runs `name` every `minutes` (1, a divisor of 60, 60 or 1440 = daily at 03:00 Vietnam time). */
  every(name: QueueName, minutes: number): Promise<void>;
  /** Stops taking jobs; waits for the running ones (in-process) or fails them back (pg-boss). */
  stop(): Promise<void>;
}

const KEY = Symbol.for("cnnt.queue");
const HANDLERS = Symbol.for("cnnt.queue.handlers");
type Holder = { [KEY]?: JobQueue; [HANDLERS]?: Map<QueueName, JobHandler> };

function handlers(): Map<QueueName, JobHandler> {
  const g = globalThis as Holder;
  return (g[HANDLERS] ??= new Map());
}

/** Registers the handler of a queue (the module owning the work calls it when loaded). */
export function defineJob(name: QueueName, handler: JobHandler) {
  handlers().set(name, handler);
}

/** The active queue; in-process until server.ts starts pg-boss. */
export function queue(): JobQueue {
  const g = globalThis as Holder;
  return (g[KEY] ??= new InProcessQueue());
}

export function setQueue(q: JobQueue | undefined) {
  (globalThis as Holder)[KEY] = q;
}

/** Seconds a running job may go without finishing before it counts as dead (JOB_LEASE_SECONDS, default 60). */
export function leaseSeconds(): number {
  const n = Number(process.env.JOB_LEASE_SECONDS);
  return Number.isFinite(n) && n >= 2 ? Math.floor(n) : 60;
}

/** A cron expression (UTC) for "every `minutes`". */
export function cronOf(minutes: number): string {
  if (minutes === 1440) return "0 20 * * *"; // 03:00 in Vietnam (UTC+7)
  if (minutes === 60) return "7 * * * *";
  if (minutes >= 1 && minutes < 60 && 60 % minutes === 0) return minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
  throw new Error(`every(${minutes}): use 1, a divisor of 60, 60 or 1440 minutes`);
}

// ─── in-process (PGlite, and tests that drive the models directly) ───

export class InProcessQueue implements JobQueue {
  readonly kind = "in-process" as const;
  private running = new Map<string, Promise<void>>();
  private again = new Set<string>();
  private windows = new Map<string, number>();
  private timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  async send(name: QueueName, data: JobData = {}, options: SendOptions = {}) {
    if (this.stopped) return;
    const slot = `${name}:${options.key ?? JSON.stringify(data)}`;
    const window = options.throttleSeconds ?? options.debounceSeconds;
    if (window) {
      const last = this.windows.get(slot) ?? 0;
      if (Date.now() - last < window * 1000) {
        if (options.throttleSeconds) return;
        // Debounced: one more run after the window, whatever else arrives meanwhile.
        if (this.again.has(`later:${slot}`)) return;
        this.again.add(`later:${slot}`);
        const t = setTimeout(
          () => {
            this.timers.delete(t);
            this.again.delete(`later:${slot}`);
            void this.send(name, data, options);
          },
          last + window * 1000 - Date.now(),
        );
        t.unref();
        this.timers.add(t);
        return;
      }
      this.windows.set(slot, Date.now());
    }
    if (options.delaySeconds) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.run(name, slot, data);
      }, options.delaySeconds * 1000);
      t.unref();
      this.timers.add(t);
      return;
    }
    this.run(name, slot, data);
  }

  /** One run per slot at a time; a send while it runs makes it run once more afterwards. */
  private run(name: QueueName, slot: string, data: JobData) {
    if (this.stopped) return;
    if (this.running.has(slot)) {
      this.again.add(slot);
      return;
    }
    const p = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        do {
          this.again.delete(slot);
          const handler = handlers().get(name);
          if (!handler) throw new Error(`no handler for job "${name}"`);
          await handler(data);
        } while (this.again.has(slot) && !this.stopped);
      })
      .catch((error) => console.warn(`Tác vụ nền "${name}" dừng vì lỗi:`, error))
      .finally(() => this.running.delete(slot));
    this.running.set(slot, p);
  }

  async every(name: QueueName, minutes: number) {
    cronOf(minutes);
    const t = setInterval(() => void this.send(name), minutes * 60_000);
    t.unref();
    this.timers.add(t);
  }

  /** Resolves when nothing is running (tests). */
  async settled() {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }

  async stop() {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.settled();
  }
}

// ─── pg-boss (PostgreSQL) ───

export interface PgBossOptions {
  /** The app role's address (DATABASE_URL). */
  url: string;
  /** Whether this process handles jobs (false: only sends them). */
  work?: boolean;
  onError?: (error: unknown) => void;
}

export function pgBossConfig(url: string): PgBoss.ConstructorOptions {
  const maintenance = Number(process.env.JOB_MAINTENANCE_SECONDS);
  return {
    connectionString: url,
    max: 3,
    application_name: `cnnt-queue-${process.pid}`,
    // The owner made the schema (db/queue.ts); the app role only checks it is there.
    migrate: false,
    // Expired leases are failed (and retried elsewhere) by whichever process maintains first.
    maintenanceIntervalSeconds: Number.isFinite(maintenance) && maintenance >= 1 ? maintenance : 10,
    archiveCompletedAfterSeconds: 60 * 60 * 12,
    deleteAfterDays: 7,
  };
}

export class PgBossQueue implements JobQueue {
  readonly kind = "pg-boss" as const;
  readonly boss: PgBoss;
  constructor(private options: PgBossOptions) {
    this.boss = new PgBoss(pgBossConfig(options.url));
    // While the database is down every poll fails: say so once every 30 s, not every second.
    let lastWarning = 0;
    const warn = (e: unknown) => {
      if (Date.now() - lastWarning < 30_000) return;
      lastWarning = Date.now();
      console.warn("Hàng đợi tác vụ nền lỗi:", e instanceof Error ? e.message : e);
    };
    this.boss.on("error", (error) => (options.onError ?? warn)(error));
  }

  async start() {
    await this.boss.start();
    if (this.options.work === false) return this;
    for (const name of QUEUE_NAMES) {
      await this.boss.work<JobData>(name, { pollingIntervalSeconds: 1 }, async (jobs) => {
        const handler = handlers().get(name);
        if (!handler) throw new Error(`no handler for job "${name}"`);
        for (const job of jobs) await handler(job.data ?? {});
      });
    }
    return this;
  }

  async send(name: QueueName, data: JobData = {}, options: SendOptions = {}) {
    const send: PgBoss.SendOptions = {
      expireInSeconds: leaseSeconds(),
      retryLimit: 20,
      retryDelay: 1,
      startAfter: options.delaySeconds,
    };
    if (options.throttleSeconds) await this.boss.sendThrottled(name, data, send, options.throttleSeconds, options.key ?? "");
    else if (options.debounceSeconds) await this.boss.sendDebounced(name, data, send, options.debounceSeconds, options.key ?? "");
    else await this.boss.send(name, data, { ...send, singletonKey: options.key });
  }

  async every(name: QueueName, minutes: number) {
    await this.boss.schedule(name, cronOf(minutes), {}, { tz: "UTC", expireInSeconds: leaseSeconds() * 10, retryLimit: 2 });
  }

  async stop() {
    // Jobs still running are failed back to the queue (another process retries them).
    await this.boss.stop({ graceful: true, timeout: 5000, wait: true });
  }
}
