import type { Subscription } from 'rxjs';
import { classifyStatus, type CoordinatedWatch, type CoordinatorMembership, type Generation } from '../internal.js';
import { coordinatedChannel } from './coordinated-channel.js';
import { ACQUIRE_SCRIPT, PUBLISH_SCRIPT, RELEASE_SCRIPT, RENEW_SCRIPT } from './coordinator-scripts.js';
import type { RedisHealth, RedisLike } from './redis-health.js';
import { decodeRelayed, isPlausibleVersion } from './relayed-generation.js';

/** What every coordinated id of one coordinator shares. */
export interface FleetContext {
  redis: RedisLike;
  health: RedisHealth;
  /** The prefix of the keys and channels. */
  key: string;
  leaseMs: number;
  retainMs: number;
  /** Subscribes the id's channel (resolves when Redis confirmed) and routes its messages to `entry`. */
  subscribe(channel: string, entry: CoordinatedId): Promise<unknown>;
  unsubscribe(channel: string, entry: CoordinatedId): void;
  /** The leaseholders whose leases the heartbeat renews. */
  leading(entry: CoordinatedId, isLeading: boolean): void;
  /** A Redis call of `entry` failed: it polls locally, and the first failure of an outage sends every watch local. */
  fail(cause: unknown, entry: CoordinatedId): void;
  /** Keeps a call that `close()` should wait for (a release). */
  track(call: Promise<unknown>): void;
}

type Role = 'joining' | 'leading' | 'following' | 'local' | 'over';

/**
 * One watched id in one process of the fleet: takes the id's lease (then the client polls it and every
 * status change is published), or follows the leaseholder's messages and tries to take over when its
 * lease lapses or it lets go. Versions order what is relayed, so a late or repeated message is ignored.
 */
export class CoordinatedId implements CoordinatorMembership {
  private role: Role = 'joining';
  private version = 0;
  private timer: Subscription | undefined;
  private readonly keys: [string, string];
  private readonly channel: string;

  constructor(
    readonly id: string,
    private readonly watch: CoordinatedWatch,
    private readonly fleet: FleetContext,
    /** The lease's value: names this process (host, pid) and this watch. */
    readonly token: string,
  ) {
    // A digest of the id is the hash tag: its keys share one Redis Cluster slot, as the scripts need.
    this.channel = coordinatedChannel(fleet.key, id);
    this.keys = [`${this.channel}:lease`, `${this.channel}:latest`];
  }

  /** Subscribes the id's channel, then joins (leaseholder or follower). */
  start(): void {
    this.fleet.subscribe(this.channel, this).then(
      () => this.acquire(),
      (error: unknown) => this.fleet.fail(error, this),
    );
  }

  publish(generation: Generation): void {
    if (this.role !== 'leading') return;
    const final = classifyStatus(generation.status) === 'pending' ? 0 : 1;
    const args = [this.token, generation.status, JSON.stringify(generation), this.fleet.retainMs, this.channel, this.fleet.leaseMs, final];
    this.call(PUBLISH_SCRIPT, args, ([version, leaseLeft]) => {
      if (version === -1) this.demote(leaseLeft);
      else this.version = Math.max(this.version, version);
    });
  }

  leave(): void {
    if (this.role === 'over') return;
    const wasLeading = this.role === 'leading';
    this.setRole('over');
    this.fleet.unsubscribe(this.channel, this);
    if (wasLeading) this.release();
  }

  /** Lets the lease go at once (followers take over without waiting for it to lapse). */
  private release(): void {
    this.fleet.track(this.fleet.health.call(this.fleet.redis.eval(RELEASE_SCRIPT, 1, this.keys[0], this.token, this.channel)));
  }

  /** A message on the id's channel. */
  onMessage(message: string): void {
    if (message === 'released') {
      if (this.role === 'following') this.acquire();
      return;
    }
    const space = message.indexOf(' ');
    this.catchUp(Number(message.slice(0, space)), message.slice(space + 1));
  }

  /** The heartbeat of a leaseholder. */
  renew(): void {
    if (this.role !== 'leading') return;
    this.call(RENEW_SCRIPT, [this.token, this.fleet.leaseMs, this.fleet.retainMs], ([held]) => held === 0 && this.demote(this.fleet.leaseMs / 3));
  }

  /** Redis failed: this process polls the id itself (until the watch ends, or Redis is back). */
  goLocal(): void {
    if (this.role === 'over' || this.role === 'local') return;
    this.setRole('local');
    this.watch.lead();
  }

  /** Redis is back: joins again (and stops polling here if another process holds the lease). */
  rejoin(): void {
    if (this.role !== 'local') return;
    this.setRole('joining');
    this.start();
  }

  /** Neither polling nor done: joining, or following another process. */
  private isWaiting(): boolean {
    return this.role === 'joining' || this.role === 'following';
  }

  private acquire(): void {
    if (!this.isWaiting()) return;
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.call(ACQUIRE_SCRIPT, [this.token, this.fleet.leaseMs], ([held, leaseLeft, version], body) => {
      // The watch ended while the script ran: a lease it took goes back at once.
      if (this.role === 'over' && held === 1) return this.release();
      if (!this.isWaiting()) return;
      this.catchUp(version, body);
      // Relaying may have ended the watch (a stored outcome) or sent it local (a body that is not a generation).
      if (!this.isWaiting()) return;
      if (held === 1) {
        this.setRole('leading');
        this.watch.lead();
      } else {
        this.setRole('following');
        // After an outage this process may have been polling: the leaseholder polls now.
        this.watch.follow();
        this.retryAt(leaseLeft);
      }
    });
  }

  /** Stops polling here (the lease is someone else's) and watches for the lease to lapse. */
  private demote(leaseLeft: number): void {
    if (this.role !== 'leading') return;
    this.setRole('following');
    this.watch.follow();
    this.retryAt(leaseLeft);
  }

  /** Tries to take the lease just after it would lapse (and at least once a lease period, to catch up). */
  private retryAt(leaseLeft: number): void {
    const delay = leaseLeft > 0 ? Math.min(leaseLeft + 5, this.fleet.leaseMs) : this.fleet.leaseMs / 3;
    this.timer = this.fleet.health.schedule(() => {
      this.timer = undefined;
      this.acquire();
    }, delay);
  }

  /**
   * Relays a generation newer than any this process has seen, decoded as an HTTP answer is
   * (`parseGeneration`) and about this id. Another id's generation is ignored (its version too, so it
   * cannot hide a later one). A version Redis cannot have written (not a safe integer, or past this
   * host's clock: `isPlausibleVersion`) is never taken as the latest; a body that is not a generation,
   * or such a version, sends a follower to poll here rather than trust the channel.
   */
  private catchUp(version: number, body: string): void {
    if (body === '' || this.role === 'over' || this.role === 'local') return;
    if (!isPlausibleVersion(version)) return this.distrust();
    if (!(version > this.version)) return;
    const generation = decodeRelayed(body);
    if (generation === undefined) return this.distrust();
    if (generation.generationId !== this.id) return;
    this.version = version;
    this.watch.relay(generation);
  }

  /** Something on the channel was not written by genlook-rx: a follower polls here; a leaseholder, which polls already, ignores it. */
  private distrust(): void {
    if (this.role !== 'leading') this.goLocal();
  }

  private setRole(role: Role): void {
    if (role !== 'joining' && role !== 'following') {
      this.timer?.unsubscribe();
      this.timer = undefined;
    }
    this.fleet.leading(this, role === 'leading');
    this.role = role;
  }

  /** Runs one script on the id's keys; a failure (or a slow Redis) sends the coordinator to its fallback. */
  private call(script: string, args: Array<string | number>, onAnswer: (numbers: [number, number, number], body: string) => void): void {
    this.fleet.health.call(this.fleet.redis.eval(script, 2, ...this.keys, ...args)).then(
      (answer) => {
        const values = Array.isArray(answer) ? answer : [answer];
        onAnswer([Number(values[0]), Number(values[1]), Number(values[2])], typeof values[3] === 'string' ? values[3] : '');
      },
      (error: unknown) => this.fleet.fail(error, this),
    );
  }
}
