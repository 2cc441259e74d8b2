package dev.weft.samples;

/**
 * Bad command-line input: the message says which option is wrong and how; a null message means help
 * was asked for.
 *
 * <pre>{@code
 * throw new UsageException("--stages must be at least 1, not -5");
 * }</pre>
 */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} says what to fix, or is null when help was asked. */
  public UsageException(String message) {
    super(message);
  }

  /** Whether the user asked for help rather than made a mistake. */
  public boolean isHelp() {
    return getMessage() == null;
  }
}
