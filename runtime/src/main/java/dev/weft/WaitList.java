package dev.weft;

/**
 * Queues of {@link Waiter}s as circular doubly linked lists, named by their head alone: an owner
 * keeps one field per queue (the tail is {@code head.prev}), which saves a field per queue in
 * every channel. Each operation returns the new head. A node is in at most one list, and {@link
 * Waiter#next} is null exactly when it is in none, so removal from the middle (a select that lost,
 * a cancelled wait) is O(1) and needs no search.
 *
 * <p>Every method runs under the owner's lock.
 *
 * <pre>{@code
 * recvq = WaitList.add(recvq, w);      // enqueue at the tail
 * Waiter first = recvq;                // peek
 * recvq = WaitList.remove(recvq, w);   // dequeue any node
 * }</pre>
 */
final class WaitList {
  private WaitList() {}

  /** Appends {@code w} at the tail; returns the head. */
  static Waiter add(Waiter head, Waiter w) {
    if (head == null) {
      w.next = w;
      w.prev = w;
      return w;
    }
    Waiter tail = head.prev;
    w.prev = tail;
    w.next = head;
    tail.next = w;
    head.prev = w;
    return head;
  }

  /** Puts {@code w} at the head (a waiter that was already first in line); returns the head. */
  static Waiter addFirst(Waiter head, Waiter w) {
    add(head, w);
    return w;
  }

  /** Unlinks {@code w}, which must be in this list; returns the head (null when now empty). */
  static Waiter remove(Waiter head, Waiter w) {
    Waiter next = w.next;
    Waiter result;
    if (next == w) {
      result = null;
    } else {
      Waiter prev = w.prev;
      prev.next = next;
      next.prev = prev;
      result = head == w ? next : head;
    }
    w.next = null;
    w.prev = null;
    return result;
  }

  /** The number of nodes that can still be chosen ({@link Waiter#isLive()}); for tests and dumps. */
  static int countLive(Waiter head) {
    int n = 0;
    if (head != null) {
      Waiter w = head;
      do {
        if (w.isLive()) {
          n++;
        }
        w = w.next;
      } while (w != head);
    }
    return n;
  }

  /** True when {@code w} is in some list. */
  static boolean isQueued(Waiter w) {
    return w.next != null;
  }
}
