package dev.weft.bench.compare;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An unbuffered channel for threads built from one lock and three conditions: a sender puts its
 * value in the single slot and waits until a receiver has taken it, which is Go's rendezvous.
 *
 * <pre>{@code
 * ThreadChannel<Integer> ch = new LockRendezvous<>();
 * }</pre>
 *
 * <p>{@code taken} is signalled to all waiters because a new sender may already be waiting for its
 * own value to be taken when the previous one's is; each checks its own sequence number.
 */
final class LockRendezvous<T> implements ThreadChannel<T> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition slotFree = lock.newCondition();
  private final Condition slotFull = lock.newCondition();
  private final Condition taken = lock.newCondition();
  private T slot;
  private long sent;
  private long received;
  private boolean closed;

  @Override
  public void send(T value) throws InterruptedException {
    lock.lock();
    try {
      while (slot != null) {
        slotFree.await();
      }
      if (closed) {
        throw new IllegalStateException("send on a closed channel");
      }
      slot = value;
      long mine = ++sent;
      slotFull.signal();
      while (received < mine) {
        taken.await();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public T receive() throws InterruptedException {
    lock.lock();
    try {
      while (slot == null) {
        if (closed) {
          return null;
        }
        slotFull.await();
      }
      T v = slot;
      slot = null;
      received++;
      taken.signalAll();
      slotFree.signal();
      return v;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      slotFull.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
