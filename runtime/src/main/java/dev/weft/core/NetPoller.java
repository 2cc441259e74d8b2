package dev.weft.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Go's netpoller: one {@link Selector} (epoll on Linux) that every non-blocking socket of the
 * process is registered with, and the readiness it reports turned into unparks of the fibers (or
 * plain threads) waiting on those sockets. docs/net.md has the design and the measurements.
 *
 * <h2>Who polls</h2>
 *
 * One thread at a time holds the <em>poll right</em> (the JDK's selector allows one selecting
 * thread anyway). By default the workers poll, as Go's Ms do: a worker that runs out of work polls
 * without blocking before it steals ({@link #pollNonBlocking}), an idle worker blocks in the
 * selector instead of parking, with the next timer as its timeout ({@link #pollIdle}), and the
 * monitor polls when nobody has for {@link #STALE_NANOS} ({@link #pollIfStale}). Whatever wakes an
 * idle worker also wakes the selector it blocks in ({@link #wakeIfPolling}). With {@code
 * -Dweft.netpoll=thread} a dedicated daemon thread polls instead, for comparison.
 *
 * <h2>Interest kept, not re-registered</h2>
 *
 * A socket is registered once, when it is made; a wait only sets its interest bit, which costs
 * nothing when the bit is still set from the previous wait (the JDK queues an epoll change only
 * when the set changes). The bit is cleared lazily: when the selector reports readiness that
 * nobody waits for. So a connection in a request/response loop changes its epoll registration
 * at most once per idle period, and a wait never needs a selector wake-up in the steady state.
 * The one race (a waiter arms as the poller clears the bit) is closed by the order of the two
 * sides: the waiter publishes itself, then sets the bit; the poller clears the bit, then looks for
 * a waiter again and sets the bit back if one came.
 *
 * <h2>Stale polls, and the fibers a poll readied</h2>
 *
 * The monitor's poll is for readiness that waits behind fibers that compute. It is not for a
 * worker that is still running the fibers an earlier poll readied: a poll then finds their sockets
 * readable with nobody waiting (their fibers are queued), drops their interest (which the fibers
 * set again when they wait: two epoll changes each) and readies nothing the worker would not find
 * itself when it runs out of work. At 10,000 connections one poll readies up to 1,024 fibers,
 * running them outlasts {@link #STALE_NANOS}, and the monitor polled every round. So every wait
 * that a poll ended counts itself when its fiber runs again ({@link #resumes}), and the monitor
 * polls only when nobody has polled <em>and</em> no such fiber has run for {@link #STALE_NANOS}.
 *
 * <p>Why nothing waits for ever: a count needs a taken waiter, waiters are taken by polls (and by
 * {@link PollDesc#wake}, which takes its count back), and polls stop while the count moves; so it
 * stops moving once the fibers of the last polls have run, which they do (they are queued), and
 * the monitor polls {@link #STALE_NANOS} later. The counts are a hint: {@link #resumes} is a
 * {@link LongAdder} (one uncontended CAS per wait the poller ended, nothing allocated), read by
 * the monitor alone, and a count seen late or early moves one stale poll by one monitor period.
 */
public final class NetPoller {
  /** The monitor polls when nobody has polled for this long while every worker is busy. */
  static final long STALE_NANOS = 10_000_000L;

  private static final VarHandle OWNER;
  private static final VarHandle REGISTERED;
  private static final VarHandle WANTS_POLL;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      OWNER = l.findVarHandle(NetPoller.class, "owner", int.class);
      REGISTERED = l.findVarHandle(NetPoller.class, "registered", int.class);
      WANTS_POLL = l.findVarHandle(NetPoller.class, "wantsPoll", Worker.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static volatile NetPoller instance;

  private final Selector selector;

  /** True when a dedicated thread polls ({@code -Dweft.netpoll=thread}); else the workers do. */
  private final boolean ownThread;

  /** 1 while some thread holds the poll right. */
  private volatile int owner;

  /** The thread blocked in {@code select} right now, or null: the one a wake-up must reach. */
  private volatile Thread blockedIn;

  /** Channels registered and not yet closed: with none, idle workers park as before. */
  private volatile int registered;

  /** An idle worker that found the poll right taken: the holder pokes it on release. */
  private volatile Worker wantsPoll;

  /** A closed channel's registration is dropped at the next select: ask for one. */
  private volatile boolean flushWanted;

  /** Selects done; written under the poll right, read racily by tests (no busy polling). */
  long selects;

  /** {@link System#nanoTime()} of the last poll. */
  private volatile long lastPoll;

  /**
   * Waits ended by a taken waiter, counted when the waiter runs again, less the ones {@link
   * PollDesc#wake} took: the fibers polls readied that have run since (see the class comment).
   */
  private final LongAdder resumes = new LongAdder();

  /**
   * The most the monitor has seen in {@link #resumes}, and when it last grew; monitor only. Only
   * growth counts: a wait that {@link PollDesc#wake} ended takes its count back before its waiter
   * adds it, so that close or deadline wake-ups repeated for ever never hold the stale poll off.
   */
  private long resumesSeen;

  private long resumesMovedAt = System.nanoTime() - STALE_NANOS;

  /** Waiters found ready by the current poll, woken after it; owned by the poll right's holder. */
  private Parker[] batch = new Parker[64];

  private int batchSize;

  /** The select callback, made once: a poll allocates nothing. */
  private final Consumer<SelectionKey> onReady = this::collect;

  private NetPoller(boolean ownThread) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("Weft could not open its network selector", e);
    }
    this.ownThread = ownThread;
  }

  /** The process's poller, created on the first socket. */
  public static NetPoller get() {
    NetPoller p = instance;
    return p != null ? p : create();
  }

  private static synchronized NetPoller create() {
    if (instance == null) {
      String mode = System.getProperty("weft.netpoll", "workers");
      if (!mode.equals("workers") && !mode.equals("thread")) {
        throw new IllegalArgumentException(
            "-Dweft.netpoll=" + mode + ": use workers (the default) or thread");
      }
      NetPoller p = new NetPoller(mode.equals("thread"));
      if (p.ownThread) {
        p.startThread();
      }
      instance = p;
    }
    return instance;
  }

  /** The poller if one was created: workers ask this, so a program without sockets pays nothing. */
  static NetPoller active() {
    return instance;
  }

  // ---------------------------------------------------------------------------------------------
  // Sockets (called by PollDesc).

  SelectionKey register(SelectableChannel ch, PollDesc pd) throws ClosedChannelException {
    SelectionKey k = ch.register(selector, 0, pd);
    REGISTERED.getAndAdd(this, 1);
    return k;
  }

  /** A registered channel was closed: its fd is released at the next select, so have one soon. */
  void closed() {
    REGISTERED.getAndAdd(this, -1);
    flushWanted = true;
    VarHandle.fullFence();
    if (blockedIn != null) {
      selector.wakeup();
    } else {
      flush();
    }
  }

  /**
   * Makes sure {@code ops} are in {@code k}'s interest set and that some thread will select with
   * it. Costs a volatile read and nothing else when they already are (the common case).
   *
   * @throws CancelledKeyException when the channel was closed
   */
  void arm(SelectionKey k, int ops) {
    if ((k.interestOps() & ops) == ops) {
      return;
    }
    k.interestOpsOr(ops);
    // The change is queued for the next select: one that blocks already must be woken. Full fence:
    // the queueing (under the JDK's lock) must come before our read of blockedIn, and the poller
    // writes blockedIn before its select reads the queue.
    VarHandle.fullFence();
    if (blockedIn != null) {
      selector.wakeup();
    } else if (owner == 0 && !ownThread) {
      ensurePoller();
    }
  }

  /**
   * Nobody polls: a waiter armed from a plain thread, or while every worker was parked without
   * polling. Poke an idle worker (it re-enters its idle wait and polls), or start one.
   */
  private void ensurePoller() {
    Scheduler s = Scheduler.get();
    for (Worker w : s.workers) {
      if (w.status == Worker.IDLE) {
        LockSupport.unpark(w);
        return;
      }
    }
    VarHandle.fullFence();
    s.wakeIdle(); // no idle worker: start one if a slot is free; busy ones poll when out of work
  }

  // ---------------------------------------------------------------------------------------------
  // Polling.

  /**
   * A worker out of work (or every 61 picks): readies whatever is ready, without blocking.
   *
   * @return the number of waiters woken
   */
  int pollNonBlocking() {
    if (registered == 0 && !flushWanted || ownThread || !tryAcquire()) {
      return 0;
    }
    try {
      return wakeBatch(select(-1));
    } finally {
      release();
    }
  }

  /**
   * The monitor, while every worker is busy: polls when nobody has for {@link #STALE_NANOS}, so
   * that readiness does not wait behind long-running fibers (Go's sysmon does the same).
   */
  boolean pollIfStale(long now) {
    if (registered == 0 || ownThread) {
      return false;
    }
    long r = resumes.sum();
    if (r > resumesSeen) {
      resumesSeen = r;
      resumesMovedAt = now;
    }
    if (now - lastPoll < STALE_NANOS || now - resumesMovedAt < STALE_NANOS) {
      return false; // polled lately, or the fibers the last polls readied are still being run
    }
    return pollNonBlocking() > 0;
  }

  /** A wait ended by a taken waiter is over: its fiber (or thread) runs again. */
  void resumed() {
    resumes.increment();
  }

  /** {@link PollDesc#wake} took a waiter: that wait's {@link #resumed} is not the poller's doing. */
  void takenOutsidePoll() {
    resumes.decrement();
  }

  /**
   * An idle worker's wait: blocks in the selector until readiness, a wake-up, or {@code nanos}
   * (0: no timeout). Readiness takes the worker off the idle list first, so that the fibers it
   * wakes go to its own run queue and it runs them itself.
   *
   * @return false when this worker did not poll (no sockets, or another thread polls): the caller
   *     parks as usual
   */
  boolean pollIdle(Worker w, long nanos) {
    if (registered == 0 && !flushWanted || ownThread) {
      return false;
    }
    if (!tryAcquire()) {
      wantsPoll = w;
      if (!tryAcquire()) {
        return false; // the holder pokes us when it lets go (see release)
      }
      WANTS_POLL.compareAndSet(this, w, null);
    }
    try {
      blockedIn = w;
      // Wakers write notified, then read blockedIn; we write blockedIn, then read notified.
      if (w.notified) {
        return true;
      }
      // Selector timeouts are milliseconds: round up, so that a timer is never fired early.
      int n = select(nanos == 0 ? 0 : Math.max(1, (nanos + 999_999) / 1_000_000));
      blockedIn = null;
      if (n > 0) {
        if (w.sched.leaveIdle(w)) {
          w.notified = true; // we left the idle list ourselves: end the idle wait
        }
        // else a waker took us off the list: status is RUNNING and its wake() is on the way.
        // Either way we are RUNNING: the fibers woken now go to our own run queue.
        wakeBatch(n);
      }
    } finally {
      blockedIn = null;
      release();
    }
    Thread.interrupted(); // a select returns at once while the thread is interrupted
    return true;
  }

  /** Wakes the selector if {@code w} blocks in it: for whoever wakes an idle worker. */
  static void wakeIfPolling(Worker w) {
    NetPoller p = instance;
    if (p != null && p.blockedIn == w) {
      p.selector.wakeup();
    }
  }

  /** A closed channel waits for a select to release its fd: do one now unless someone polls. */
  private void flush() {
    while (flushWanted && tryAcquire()) {
      flushWanted = false;
      try {
        wakeBatch(select(-1));
      } finally {
        release();
      }
    }
  }

  private boolean tryAcquire() {
    return owner == 0 && OWNER.compareAndSet(this, 0, 1);
  }

  private void release() {
    owner = 0;
    // A worker that went idle while we held the right parks without polling: let it poll now.
    Worker w = wantsPoll;
    if (w != null && WANTS_POLL.compareAndSet(this, w, null)) {
      LockSupport.unpark(w);
    }
    if (flushWanted && blockedIn == null) {
      flush();
    }
  }

  /**
   * One select with the poll right held; ready waiters go to {@link #batch}.
   *
   * @param timeoutMillis -1 for none, 0 for no limit
   * @return how many waiters are in the batch
   */
  private int select(long timeoutMillis) {
    batchSize = 0;
    selects++;
    try {
      if (timeoutMillis < 0) {
        selector.selectNow(onReady);
      } else {
        selector.select(onReady, timeoutMillis);
      }
    } catch (IOException e) {
      // epoll_wait does not fail on a valid descriptor; if it ever does, say so and go on.
      RuntimeLog.log(
          RuntimeLog.RUNTIME, System.Logger.Level.WARNING, "WARNING: Weft's network poll failed: " + e, null);
    }
    lastPoll = System.nanoTime();
    return batchSize;
  }

  /** The select callback: takes the waiters of one ready key into the batch. */
  private void collect(SelectionKey k) {
    PollDesc pd = (PollDesc) k.attachment();
    int ready;
    try {
      ready = k.readyOps();
    } catch (CancelledKeyException e) {
      return;
    }
    if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
      Parker p = pd.takeWaiter(PollDesc.READ);
      if (p != null) {
        add(p);
      } else {
        disarm(k, pd, PollDesc.READ, SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
      }
    }
    if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
      Parker p = pd.takeWaiter(PollDesc.WRITE);
      if (p != null) {
        add(p);
      } else {
        disarm(k, pd, PollDesc.WRITE, SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
      }
    }
  }

  /**
   * Readiness nobody waits for: drop the interest, so level-triggered epoll does not report it
   * again and again. If a waiter armed meanwhile, put it back (see the class comment).
   */
  private void disarm(SelectionKey k, PollDesc pd, int dir, int ops) {
    try {
      k.interestOpsAnd(~ops);
      Parker p = pd.takeWaiter(dir);
      if (p != null) {
        k.interestOpsOr(pd.armedOps(dir));
        add(p);
      }
    } catch (CancelledKeyException e) {
      // closed meanwhile: its waiters were woken by the close
    }
  }

  private void add(Parker p) {
    if (batchSize == batch.length) {
      batch = Arrays.copyOf(batch, batchSize * 2);
    }
    batch[batchSize++] = p;
  }

  /**
   * Unparks the waiters of the last select; with the poll right held, which owns the batch. A
   * worker queues the fibers at the back of its ring in the order the selector reported them, as
   * Go's netpoll injects its list: not each into runNext, which would run the last one first and
   * push every earlier one back with an atomic exchange.
   */
  private int wakeBatch(int n) {
    Parker[] b = batch;
    for (int i = 0; i < n; i++) {
      Parker p = b[i];
      b[i] = null;
      if (p instanceof Fiber) {
        ((Fiber) p).unparkBehind();
      } else {
        p.unpark();
      }
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // The dedicated thread (-Dweft.netpoll=thread).

  private void startThread() {
    Thread t =
        DetachedThreads.make(
            () ->
                new Thread(
                    Scheduler.get().threads, this::pollForever, "weft-netpoll", 1L << 20, false));
    t.setDaemon(true);
    t.setContextClassLoader(ClassLoader.getSystemClassLoader());
    t.start();
  }

  private void pollForever() {
    OWNER.set(this, 1);
    blockedIn = Thread.currentThread();
    for (; ; ) {
      wakeBatch(select(0));
      flushWanted = false;
    }
  }
}
