package dev.weft.agent.cli;

/**
 * Ahead-of-time instrumentation could not start or finish: the input is missing, unreadable or
 * corrupt, or the output cannot be written. The command line exits with 2 on it.
 */
public final class InstrumentException extends Exception {
  private static final long serialVersionUID = 1L;

  public InstrumentException(String message) {
    super(message);
  }

  public InstrumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
