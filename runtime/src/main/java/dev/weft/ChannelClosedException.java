package dev.weft;

/**
 * Thrown by a send on a closed channel and by closing a channel twice, where Go panics.
 *
 * <pre>{@code
 * ch.close();
 * ch.send(1); // ChannelClosedException
 * }</pre>
 */
public class ChannelClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with the default message. */
  public ChannelClosedException() {
    super("channel is closed");
  }

  /** Creates the exception with a message that says what was attempted. */
  public ChannelClosedException(String message) {
    super(message);
  }
}
