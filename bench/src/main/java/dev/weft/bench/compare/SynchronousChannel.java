package dev.weft.bench.compare;

import java.util.concurrent.SynchronousQueue;

/**
 * An unbuffered channel for threads over a {@link SynchronousQueue}; closing sends a marker that
 * the receiver turns into null, which is enough for one receiver, as in every comparison here.
 *
 * <pre>{@code
 * ThreadChannel<Integer> ch = new SynchronousChannel<>();
 * }</pre>
 */
final class SynchronousChannel<T> implements ThreadChannel<T> {
  private static final Object CLOSED = new Object();
  private final SynchronousQueue<Object> queue = new SynchronousQueue<>();

  @Override
  public void send(T value) throws InterruptedException {
    queue.put(value);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T receive() throws InterruptedException {
    Object v = queue.take();
    return v == CLOSED ? null : (T) v;
  }

  @Override
  public void close() throws InterruptedException {
    queue.put(CLOSED);
  }
}
