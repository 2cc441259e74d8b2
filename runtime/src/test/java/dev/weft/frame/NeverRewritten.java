package dev.weft.frame;

import dev.weft.SuspendableCallable;

/**
 * An implementation of a suspendable interface in a package the agent never rewrites: a plain
 * frame that an armed call reaches, for the shape tests of the uninstrumented-frame error.
 */
public final class NeverRewritten<V> implements SuspendableCallable<V> {
  private final SuspendableCallable<V> next;

  public NeverRewritten(SuspendableCallable<V> next) {
    this.next = next;
  }

  @Override
  public V call() throws Exception {
    return next.call();
  }
}
