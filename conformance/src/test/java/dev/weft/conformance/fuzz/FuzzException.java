package dev.weft.conformance.fuzz;

/**
 * The exception generated programs throw and catch. Its message names the throw site and carries
 * a value, so a run that threw from another place or with another value compares different.
 */
public final class FuzzException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The value the program attached, readable by its handlers. */
  public final long code;

  public FuzzException(int site, long code) {
    super("site " + site + " code " + code, null, false, false);
    this.code = code;
  }
}
