package dev.weft.core;

import java.nio.channels.SelectionKey;

/**
 * What a fiber waiting on a socket is parked on: dumps print it ({@code read on tcp
 * 127.0.0.1:8080<-127.0.0.1:51234, deadline in 120 ms}), and the deadlock detector counts the fiber
 * as wakeable, since the network can always wake it. One per direction of each socket, reused by
 * every wait.
 */
final class NetWait implements WakeSource {
  private final PollDesc pd;
  private final int dir;

  /** The operation of the current (or last) wait; written by the waiter before it parks. */
  volatile int op;

  NetWait(PollDesc pd, int dir) {
    this.pd = pd;
    this.dir = dir;
  }

  /** Always: readiness comes from outside, so a fiber waiting for it is never deadlocked. */
  @Override
  public boolean plainThreadInvolved() {
    return true;
  }

  /** accept, connect, read or write. */
  static String opName(int op, int dir) {
    if (op == SelectionKey.OP_ACCEPT) {
      return "accept";
    }
    if (op == SelectionKey.OP_CONNECT) {
      return "connect";
    }
    return dir == PollDesc.READ ? "read" : "write";
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(opName(op, dir));
    b.append(" on ").append(pd.owner());
    long d = pd.deadline(dir);
    if (d == PollDesc.NO_DEADLINE) {
      b.append(", no deadline");
    } else {
      long left = d - System.nanoTime();
      if (left > 0) {
        b.append(", deadline in ").append(left / 1_000_000).append(" ms");
      } else {
        b.append(", deadline passed ").append(-left / 1_000_000).append(" ms ago");
      }
    }
    return b.toString();
  }
}
