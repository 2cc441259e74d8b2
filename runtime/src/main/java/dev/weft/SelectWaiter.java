package dev.weft;

/**
 * The node of one {@link Select.Case} while its select waits: a {@link Waiter} that also knows
 * its select's leader (the first case's node, whose {@link Waiter#state} is the selection word
 * every case of the select shares) and, in the leader, which case won.
 *
 * <p>Kept apart from {@link Waiter} so that the far more common plain waits stay at 40 bytes.
 * Created once per case, the first time the case waits, and reused by every later select of that
 * case.
 *
 * <pre>{@code
 * SelectWaiter w = c.node();
 * w.leader = cases[0].node();
 * channel.enqueue(w, sending);
 * }</pre>
 */
final class SelectWaiter extends Waiter {
  /** The node holding the selection word of the select this node belongs to. */
  SelectWaiter leader;

  /** In the leader, once the select is won: the node of the winning case. */
  SelectWaiter chosen;

  SelectWaiter(Select.Case<?> owner) {
    this.owner = owner;
  }

  @Override
  void reset() {
    super.reset();
    leader = null;
    chosen = null;
  }
}
